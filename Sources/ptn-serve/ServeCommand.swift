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

    @Option(help: "Address to bind. Env: PTN_SERVE_HOST. Default: 127.0.0.1")
    var host: String?

    @Option(help: "Port to bind. Env: PTN_SERVE_PORT. Default: 48888")
    var port: Int?

    @Flag(help: "Also accept ?api_key= in the URL (keys in URLs leak into logs).")
    var allowQueryKey = false

    // Hardening: rate limits, TLS, trusted networks, connection limits, timeouts, shutdown.
    @OptionGroup(title: "Security")
    var security: SecurityOptions

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let portText = port.map(String.init) ?? environment["PTN_SERVE_PORT"] ?? "48888"
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw ValidationError("port must be a number from 0 to 65535, got \(portText)")
        }
        let config = ServeConfiguration(
            dataDir: dataDir ?? environment["PTN_SERVE_DATA_DIR"] ?? "../proprietary-trading-network",
            apiKeysFile: apiKeys ?? environment["PTN_SERVE_API_KEYS"],
            host: host ?? environment["PTN_SERVE_HOST"] ?? "127.0.0.1",
            port: port,
            allowQueryKey: allowQueryKey
        )
        var configured = config
        configured.security = try security.configuration()
        try await Self.serve(configured)
    }

    /// Runs the server until SIGTERM or SIGINT; a start-up problem is printed and exits with code 2.
    static func serve(_ config: ServeConfiguration) async throws {
        var logger = Logger(label: "ptn-serve")
        logger.logLevel = .info
        do {
            let app = try await buildApplication(config, logger: logger)
            try await runUntilSignalled(app, deadline: config.security.shutdownDeadline, logger: logger)
        } catch let error as StartupError {
            FileHandle.standardError.write(Data("ptn-serve: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
    }
}
