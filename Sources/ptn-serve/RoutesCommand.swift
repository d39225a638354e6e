import ArgumentParser
import Foundation
import PTNServe

/// `ptn-serve routes`: see and check route tables.
struct RoutesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routes",
        abstract: "Show the effective route table, or check a route file.",
        subcommands: [Show.self, Check.self]
    )

    /// `routes show [--profile NAME | --routes FILE]`: the table as a route file.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the effective route table as a route file (YAML).")
        @Option(help: "Built-in profile: \(RouteTable.builtInProfiles.joined(separator: " or ")). Default: ptn") var profile: String?
        @Option(help: "A route file (replaces the profile).") var routes: String?

        func run() throws {
            do {
                print(try RouteTable.resolve(routes: routes, profile: profile ?? "ptn", reserving: ServerPaths.reserved).routeFileText, terminator: "")
            } catch {
                throw RoutesCommand.refuse(error)
            }
        }
    }

    /// `routes check FILE`: validate a route file (exit 0 or 2) and say what each route will serve.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate a route file and print what each route serves (exit 2 if invalid).")
        @Argument(help: "The route file (YAML or JSON).") var file: String
        @Option(help: "Data directory, to show which files are there now.") var dataDir: String?

        func run() throws {
            do {
                let table = try RouteTable.load(path: file, reserving: ServerPaths.reserved)
                print(RouteTableSummary(table: table, dataRoot: dataDir.map { URL(fileURLWithPath: $0) }).text)
            } catch {
                throw RoutesCommand.refuse(error)
            }
        }
    }

    /// Prints why a route file was refused and exits with code 2, as `serve` does at start.
    static func refuse(_ error: RouteFileError) -> ExitCode {
        FileHandle.standardError.write(Data("ptn-serve: \(error.description)\n".utf8))
        return ExitCode(2)
    }
}
