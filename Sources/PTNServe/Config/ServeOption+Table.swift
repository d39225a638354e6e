import Foundation

extension ServeOption {
    /// Every `serve` option, in `--help` order. Adding an option is one entry here plus the `ServeConfiguration`
    /// property it sets (whose initial value is `ServeOption.defaultValue(\.property)`); the flag, the environment
    /// variable, the config-file key, the help, `config check` and the layering all follow from the entry.
    package static let all: [ServeOption] = [
        // Serving
        ServeOption(
            "data-dir", "DIR", default: .value("../proprietary-trading-network"), section: .serving,
            help: "PTN repository root (holding validation/ and runnable/), or its validation/ folder.",
            sets: \.dataRoot, parse: ServeConfiguration.resolveRoot, show: \.path
        ),
        ServeOption(
            "api-keys", "FILE", default: .unset("the profile's (ptn: <root>/ptn_api/api_keys.json)"), section: .serving,
            help: "API key file.",
            sets: \.apiKeys, parse: OptionValue.path, show: { $0?.path ?? "" }, showEffective: { $0.apiKeysFile.path }
        ),
        ServeOption(
            "host", "ADDR", default: .value("127.0.0.1"), section: .serving,
            help: "Address to bind; 0.0.0.0 to accept other machines.",
            sets: \.host, parse: OptionValue.text, show: { $0 }
        ),
        ServeOption(
            "port", "N", default: .value("48888"), section: .serving,
            help: "Port to bind.",
            sets: \.port, parse: OptionValue.port, show: { String($0) }
        ),
        .onOff(
            "allow-query-key", section: .serving,
            help: "Also accept ?api_key= in the URL (keys in URLs leak into logs).",
            sets: \.allowQueryKey
        ),
        ServeOption(
            "profile", "NAME", default: .value("ptn"), section: .serving,
            help: "Built-in route table: ptn, or vanta (PTN after its rename).",
            sets: \.profile, parse: OptionValue.text, show: { $0 }
        ),
        ServeOption(
            "routes", "FILE", default: .unset("none (the profile's routes)"), section: .serving,
            help: "Route file (YAML or JSON) to serve instead of the profile's routes.",
            sets: \.routesFile, parse: OptionValue.path, show: { $0?.path ?? "" }
        ),

        // Security
        ServeOption(
            "rate-limit", "RATE", default: .value("600/min"), section: .security,
            help: "Requests per key without its own \"rate\" in the key file: N/s, N/min or N/h.",
            sets: \.security.rateLimits.keyRate, parse: OptionValue.rate, show: \.description
        ),
        ServeOption(
            "ip-rate-limit", "RATE", default: .value("60/min"), section: .security,
            help: "Requests without a valid key, per client address: N/s, N/min or N/h.",
            sets: \.security.rateLimits.addressRate, parse: OptionValue.rate, show: \.description
        ),
        .onOff(
            "trust-proxy", section: .security,
            help: "Take the client address from the last X-Forwarded-For entry (only behind a proxy that sets it).",
            sets: \.security.rateLimits.trustProxy
        ),
        ServeOption(
            "tls-cert", "FILE", default: .unset("none (plain HTTP)"), section: .security,
            help: "PEM certificate chain: serve HTTPS (with --tls-key). Reloaded when the file changes.",
            sets: \.security.tlsCertificatePath, parse: OptionValue.text, show: { $0 ?? "" }
        ),
        ServeOption(
            "tls-key", "FILE", default: .unset("none"), section: .security,
            help: "PEM private key of --tls-cert.",
            sets: \.security.tlsPrivateKeyPath, parse: OptionValue.text, show: { $0 ?? "" }
        ),
        ServeOption(
            "allow-from", "NETS", default: .unset("everyone"), section: .security,
            help: "Accept connections only from these networks, e.g. 10.0.0.0/8,2001:db8::/32.",
            sets: \.security.allowFrom, parse: OptionValue.networks,
            show: { $0.map { "\($0)" }.joined(separator: ",") }
        ),
        ServeOption(
            "max-connections", "N", default: .value("1000"), section: .security,
            help: "Most simultaneous connections; further ones are closed at once.",
            sets: \.security.maxConnections, parse: OptionValue.count(minimum: 1), show: { String($0) }
        ),
        ServeOption(
            "idle-timeout", "S", default: .value("60"), section: .security,
            help: "Seconds a connection may wait without sending a complete request head.",
            sets: \.security.idleTimeout, parse: OptionValue.seconds(minimum: 1), show: OptionValue.secondsText
        ),
        ServeOption(
            "read-timeout", "S", default: .value("10"), section: .security,
            help: "Seconds a request's body may take to arrive after its head.",
            sets: \.security.readTimeout, parse: OptionValue.seconds(minimum: 1), show: OptionValue.secondsText
        ),
        ServeOption(
            "shutdown-deadline", "S", default: .value("10"), section: .security,
            help: "Seconds SIGTERM/SIGINT wait for in-flight responses before stopping.",
            sets: \.security.shutdownDeadline, parse: OptionValue.seconds(minimum: 0), show: OptionValue.secondsText
        ),

        // Operations
        ServeOption(
            "metrics-host", "ADDR", default: .value("127.0.0.1"), section: .operations,
            help: "Address of the /metrics listener and the operator console.",
            sets: \.metricsHost, parse: OptionValue.text, show: { $0 }
        ),
        ServeOption(
            "metrics-port", "N", default: .value("9488"), section: .operations,
            help: "Port of the /metrics listener and the operator console; 0 for none.",
            sets: \.metricsPort, parse: OptionValue.port, show: { $0 == 0 ? "0 (off)" : String($0) }
        ),
        ServeOption(
            "log-format", "FORMAT", default: .value("text"), section: .operations,
            help: "Log lines as text or json.",
            sets: \.logFormat, parse: OptionValue.logFormat, show: \.rawValue
        ),
        ServeOption(
            "log-level", "LEVEL", default: .value("info"), section: .operations,
            help: "Lowest level logged: trace, debug, info (a line per request), notice, warning, error, critical.",
            sets: \.logLevel, parse: OptionValue.logLevel, show: \.rawValue
        ),
        ServeOption(
            "usage-report-interval", "D", default: .value("5m"), section: .operations,
            help: "How often to log the usage report (300, 90s, 5m, 1h; 0 for never).",
            sets: \.usageReportInterval, parse: OptionValue.duration, show: { $0 == .zero ? "0 (off)" : OptionValue.secondsText($0) }
        ),
        ServeOption(
            "usage-flush-interval", "D", default: .value("2s"), section: .operations,
            help: "How often keys' usage rows are written to the state folder's database (500ms to 5s): what a kill -9 can lose.",
            sets: \.usageFlushInterval, parse: OptionValue.duration(from: .milliseconds(500), to: .seconds(5)), show: OptionValue.secondsText
        ),
        ServeOption(
            "stale-after", "D", default: .value("10m"), section: .operations,
            help: "Age after which a data file counts as stale (600, 10m).",
            sets: \.staleAfter, parse: OptionValue.duration, show: OptionValue.secondsText
        ),

        ServeOption(
            "query-cache", "MB", default: .value("64"), section: .operations,
            help: "Megabytes of filtered answers (?status=, ?fields=, ?hotkeys=) kept for repeated questions; 0 for none.",
            sets: \.queryCacheMegabytes, parse: OptionValue.count(minimum: 0), show: { "\($0) MB" }
        ),
        ServeOption(
            "fast-lane", "on|off", default: .value("on"), section: .operations,
            help: "Answer table reads (GET/HEAD without a body) on the event loop, ahead of Hummingbird; off sends all to Hummingbird.",
            sets: \.fastLane, parse: OptionValue.bool, show: { $0 ? "on" : "off" }
        ),

        // Live changes
        ServeOption(
            "ws-port", "N", default: .value("8765"), section: .changes,
            help: "Port of PTN's WebSocket protocol (at any path, same address and TLS as the main port); 0 for none.",
            sets: \.wsPort, parse: OptionValue.port, show: { $0 == 0 ? "0 (off)" : String($0) }
        ),
        ServeOption(
            "state-dir", "DIR", default: .unset("ptn-serve-state beside the key file"), section: .changes,
            help: "Folder of the change journal (/events, /changes): history and sequence survive restarts.",
            sets: \.stateDir, parse: OptionValue.path, show: { $0?.path ?? "" }, showEffective: { $0.stateDirectory.path }
        ),
        ServeOption(
            "database", "URL", default: .unset("none (SQLite in --state-dir)"), section: .changes,
            help: "PostgreSQL shared by replicas (postgres://user@host:port/db): journal, usage rows and who writes live there.",
            sets: \.database, parse: OptionValue.database, show: { $0?.description ?? "" }
        ),
        ServeOption(
            "journal-max-age", "D", default: .value("24h"), section: .changes,
            help: "Changes older than this are dropped from the journal (86400, 24h).",
            sets: \.feedRetention.maxAge, parse: OptionValue.duration, show: OptionValue.secondsText
        ),
        ServeOption(
            "journal-max-events", "N", default: .value("200000"), section: .changes,
            help: "Most changes the journal keeps; older ones are dropped.",
            sets: \.feedRetention.maxEvents, parse: OptionValue.count(minimum: 1), show: { String($0) }
        ),
        ServeOption(
            "feed-lag-limit", "N", default: .value("10000"), section: .changes,
            help: "Undelivered changes after which a slow follower is cut off with where to resume.",
            sets: \.feedRetention.lagLimit, parse: OptionValue.count(minimum: 1), show: { String($0) }
        ),
    ]

    /// `--config FILE`: the file layer itself, so it is not in `all` and no config file may hold it.
    package static let config = ServeOption(
        layer: "config", "FILE", section: .operations,
        help: "Config file (YAML or JSON) holding any of these options under its name; flags and environment win over it."
    )
}
