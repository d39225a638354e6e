import ArgumentParser
import Foundation
import PTNServe

/// `ptn-serve config`: configuration file tools.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check a configuration file.",
        subcommands: [Check.self]
    )

    /// `ptn-serve config check FILE`: validate a file and print the effective configuration.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a config file and print the effective configuration (file, environment and defaults)."
        )

        @Argument(help: "The YAML or JSON config file.")
        var file: String

        func run() async throws {
            let (config, layers) = try usageErrors {
                let layers = ConfigLayers(environment: ProcessInfo.processInfo.environment, file: try ConfigFile.load(path: file))
                return (try ServeConfiguration.resolve(layers), layers)
            }
            print(config.describe(layers))
            let table = try usageErrors { try config.routeTable() }
            print(KeyFileCheck.summary(config.apiKeysFile(for: table)))
            print(RouteTableSummary(table: table, dataRoot: config.dataRoot).text)
        }
    }
}
