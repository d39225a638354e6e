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
            do {
                let layers = ConfigLayers(environment: ProcessInfo.processInfo.environment, file: try ConfigFile.load(path: file))
                let config = try ServeConfiguration.resolve(layers)
                print(config.describe(layers))
                let table = try config.routeTable()
                print(KeyFileCheck.summary(config.keyFile(for: table)))
                print(RouteTableSummary(table: table, dataRoot: config.dataRoot).text)
            } catch let error as RouteFileError {
                throw ValidationError(error.description)
            } catch let error as ConfigFile.Failure {
                throw ValidationError(error.description)
            } catch let error as ServeConfiguration.Invalid {
                throw ValidationError(error.description)
            }
        }
    }
}
