import ArgumentParser
import Foundation
import Logging
import PTNServe

/// `ptn-serve serve`: serve a validator's files.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the files of a PTN validator checkout."
    )

    @Option(help: "PTN repository root (or its validation/ folder). Env: PTN_SERVE_DATA_DIR. Default: ../proprietary-trading-network")
    var dataDir: String?

    @Option(help: "API key file. Env: PTN_SERVE_API_KEYS. Default: <root>/ptn_api/api_keys.json")
    var apiKeys: String?

    @Option(help: "Route file (YAML or JSON) declaring the files and routes served; replaces the profile. Env: PTN_SERVE_ROUTES.")
    var routes: String?

    @Option(help: "Built-in route table: ptn or vanta. Env: PTN_SERVE_PROFILE. Default: ptn")
    var profile: String?

    @Option(help: "Address to bind. Env: PTN_SERVE_HOST. Default: 127.0.0.1")
    var host: String?

    @Option(help: "Port to bind. Env: PTN_SERVE_PORT. Default: 48888")
    var port: Int?

    @Flag(help: "Also accept ?api_key= in the URL (keys in URLs leak into logs).")
    var allowQueryKey = false

    // Hardening: rate limits, TLS, trusted networks, connection limits, timeouts, shutdown.
    @OptionGroup(title: "Security")
    var security: SecurityOptions

    // MARK: Operations (issue 5)

    @Option(help: "Config file (YAML or JSON) holding any of these options by name; flags and environment win over it.")
    var config: String?

    @Option(help: "Address of the /metrics listener. Env: PTN_SERVE_METRICS_HOST. Default: 127.0.0.1")
    var metricsHost: String?

    @Option(help: "Port of the /metrics listener, 0 for none. Env: PTN_SERVE_METRICS_PORT. Default: 9488")
    var metricsPort: Int?

    @Option(help: "Log lines as text or json. Env: PTN_SERVE_LOG_FORMAT. Default: text")
    var logFormat: String?

    @Option(help: "Lowest level logged: trace, debug, info (a line per request), notice, warning, error, critical. Env: PTN_SERVE_LOG_LEVEL. Default: info")
    var logLevel: String?

    @Option(help: "How often to log the usage report (300, 5m; 0 for never). Env: PTN_SERVE_USAGE_REPORT_INTERVAL. Default: 5m")
    var usageReportInterval: String?

    @Option(help: "Age after which a data file counts as stale (600, 10m). Env: PTN_SERVE_STALE_AFTER. Default: 10m")
    var staleAfter: String?

    /// The flags given, by option name, for the flag > environment > file > default layering.
    var givenFlags: [String: String] {
        var flags = [String: String]()
        flags["data-dir"] = dataDir
        flags["api-keys"] = apiKeys
        flags["routes"] = routes
        flags["profile"] = profile
        flags["host"] = host
        flags["port"] = port.map(String.init)
        if allowQueryKey { flags["allow-query-key"] = "true" }
        flags["metrics-host"] = metricsHost
        flags["metrics-port"] = metricsPort.map(String.init)
        flags["log-format"] = logFormat
        flags["log-level"] = logLevel
        flags["usage-report-interval"] = usageReportInterval
        flags["stale-after"] = staleAfter
        return flags.merging(security.givenFlags) { flag, _ in flag }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let configPath = config ?? environment["PTN_SERVE_CONFIG"]
        let layers: ConfigLayers
        let resolved: ServeConfiguration
        do {
            var file: ConfigFile?
            if let configPath { file = try ConfigFile.load(path: configPath) }
            layers = ConfigLayers(flags: givenFlags, environment: environment, file: file)
            resolved = try ServeConfiguration.resolve(layers)
        } catch let error as ConfigFile.Failure {
            throw ValidationError(error.description)
        } catch let error as ServeConfiguration.Invalid {
            throw ValidationError(error.description)
        }
        try await Self.serve(resolved)
    }

    /// Runs the server until SIGTERM or SIGINT; a start-up problem is printed and exits with code 2.
    static func serve(_ config: ServeConfiguration) async throws {
        let format = config.logFormat
        LoggingSystem.bootstrap { label in format.makeHandler(label: label) }
        var logger = Logger(label: "ptn-serve")
        logger.logLevel = config.logLevel
        do {
            let app = try await buildApplication(config, logger: logger)
            try await runUntilSignalled(app, deadline: config.security.shutdownDeadline, logger: logger)
        } catch let error as StartupError {
            FileHandle.standardError.write(Data("ptn-serve: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
    }
}
