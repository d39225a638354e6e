import ArgumentParser
import PTNServe

/// The `serve` flags of the security section: rate limits, TLS, `--allow-from`, connection limits, timeouts.
/// Each may also come from the config file or a `PTN_SERVE_*` variable; the defaults live in the library.
struct SecurityOptions: ParsableArguments {
    @Option(help: "Requests per key without its own \"rate\" in the key file: N/s, N/min or N/h. Default: 600/min")
    var rateLimit: String?

    @Option(help: "Requests without a valid key, per client address: N/s, N/min or N/h. Default: 60/min")
    var ipRateLimit: String?

    @Flag(help: "Take the client address from the last X-Forwarded-For entry (only behind a proxy that sets it).")
    var trustProxy = false

    @Option(help: "PEM certificate chain: serve HTTPS (with --tls-key). Reloaded when the file changes.")
    var tlsCert: String?

    @Option(help: "PEM private key of --tls-cert.")
    var tlsKey: String?

    @Option(help: "Accept connections only from these networks, e.g. 10.0.0.0/8,2001:db8::/32. Default: everyone.")
    var allowFrom: String?

    @Option(help: "Most simultaneous connections; further ones are closed at once. Default: 1000")
    var maxConnections: Int?

    @Option(help: "Seconds a connection may wait without sending a complete request head. Default: 60")
    var idleTimeout: Int?

    @Option(help: "Seconds a request's body may take to arrive after its head. Default: 10")
    var readTimeout: Int?

    @Option(help: "Seconds SIGTERM/SIGINT wait for in-flight responses before stopping. Default: 10")
    var shutdownDeadline: Int?

    /// The flags given, by option name, for the flag > environment > file > default layering.
    var givenFlags: [String: String] {
        var flags = [String: String]()
        flags["rate-limit"] = rateLimit
        flags["ip-rate-limit"] = ipRateLimit
        if trustProxy { flags["trust-proxy"] = "true" }
        flags["tls-cert"] = tlsCert
        flags["tls-key"] = tlsKey
        flags["allow-from"] = allowFrom
        flags["max-connections"] = maxConnections.map(String.init)
        flags["idle-timeout"] = idleTimeout.map(String.init)
        flags["read-timeout"] = readTimeout.map(String.init)
        flags["shutdown-deadline"] = shutdownDeadline.map(String.init)
        return flags
    }
}
