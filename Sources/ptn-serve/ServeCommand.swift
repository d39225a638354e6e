import ArgumentParser
import Foundation
import Logging
import PTNServe
import ServiceLifecycle

/// `ptn-serve serve`: serve a validator's files.
struct ServeCommand: AsyncParsableCommand {
    /// Every option `serve` takes, as `--help` lists them.
    static let options = ServeOption.all + [ServeOption.config]

    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the files of a PTN validator checkout.",
        usage: "ptn-serve serve [--<option> <value> ...]",
        discussion: """
            Every option can also be set by its environment variable or, under its name, in the --config file. \
            A flag wins over the environment, which wins over the file, which wins over the default.

            \(ServeOption.help(options))
            """
    )

    /// The options, read against the declarations in `ServeOption.all` rather than by ArgumentParser, so that each is
    /// declared once.
    @Argument(parsing: .allUnrecognized, help: .hidden)
    var arguments: [String] = []

    /// The configuration the options make, resolved while parsing, so that a refusal is reported with `serve`'s usage.
    var resolved: ServeConfiguration?
    enum CodingKeys: CodingKey { case arguments }

    mutating func validate() throws {
        let environment = ProcessInfo.processInfo.environment
        resolved = try usageErrors {
            let flags = try ServeOption.flags(in: arguments, options: Self.options)
            return try ServeConfiguration.resolve(ConfigLayers.load(flags: flags, environment: environment))
        }
    }

    func run() async throws {
        guard let resolved else { throw ValidationError("the options were not read") }
        try await Self.serve(resolved)
    }

    /// Runs the server until SIGTERM or SIGINT; a start-up problem is printed and exits with code 2.
    /// Serves `config` until signalled, with `alongside` (the demo's validator) run beside the server; `onListening`
    /// runs once every listener is up.
    static func serve(_ config: ServeConfiguration, alongside: [any Service] = [], onListening: @escaping @Sendable () -> Void = {}) async throws {
        let format = config.logFormat
        LoggingSystem.bootstrap { label in format.makeHandler(label: label) }
        var logger = Logger(label: "ptn-serve")
        logger.logLevel = config.logLevel
        do {
            let app = try await buildApplication(config, logger: logger, onListening: onListening)
            try await runUntilSignalled(app, alongside: alongside, deadline: config.security.shutdownDeadline, logger: logger)
        } catch let error as StartupError {
            FileHandle.standardError.write(Data("ptn-serve: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
    }
}
