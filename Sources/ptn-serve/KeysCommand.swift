import ArgumentParser
import Foundation
import PTNServe

/// `ptn-serve keys`: manage the key file without editing JSON by hand.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Add, list and revoke API keys in the key file.",
        subcommands: [Add.self, List.self, Revoke.self]
    )

    /// The key file option shared by the three subcommands, resolved like `serve`'s.
    struct KeyFileOption: ParsableArguments {
        @Option(help: "API key file. Env: PTN_SERVE_API_KEYS. Default: the profile's key file under the data directory (ptn: ptn_api/api_keys.json)")
        var apiKeys: String?

        @Option(help: "PTN repository root, to find the default key file. Env: PTN_SERVE_DATA_DIR.")
        var dataDir: String?

        var editor: KeyFileEditor {
            let environment = ProcessInfo.processInfo.environment
            var config = ServeConfiguration(
                dataDir: dataDir ?? environment["PTN_SERVE_DATA_DIR"] ?? "../proprietary-trading-network",
                apiKeysFile: apiKeys ?? environment["PTN_SERVE_API_KEYS"]
            )
            config.routesFile = environment["PTN_SERVE_ROUTES"].map { URL(fileURLWithPath: $0) }
            config.profile = environment["PTN_SERVE_PROFILE"] ?? config.profile
            let table = (try? config.routeTable()) ?? (try? RouteTable.builtIn("ptn"))
            return KeyFileEditor(path: table.map { config.keyFile(for: $0) }?.path ?? config.apiKeysFile?.path ?? "api_keys.json")
        }
    }

    /// `keys add NAME --tier N [--plain] [--rate N/UNIT]`.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Generate a key, store its SHA-256, print the key once.")
        @Argument(help: "Name (alias) of the key's holder, used in logs.") var name: String
        @Option(help: "Tier: 0, 30, 50 or 100.") var tier: Int
        @Flag(help: "Store the key itself rather than its hash (for PTN's own server reading the same file).") var plain = false
        @Option(help: "This key's own rate limit: N/s, N/min or N/h.") var rate: String?
        @OptionGroup var file: KeyFileOption

        func run() throws {
            var spec: RateSpec?
            if let rate {
                guard let parsed = RateSpec(parsing: rate) else { throw ValidationError("--rate must be N/s, N/min or N/h") }
                spec = parsed
            }
            let editor = file.editor
            do {
                let key = try editor.add(alias: name, tier: tier, rate: spec, plain: plain)
                print(key)
                FileHandle.standardError.write(Data("key for \"\(name)\" (tier \(tier)) added to \(editor.path); it is shown only this once\n".utf8))
            } catch {
                throw ValidationError(error.description)
            }
        }
    }

    /// `keys list`: names, tiers and rates, never keys.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List names, tiers and rates (never keys).")
        @OptionGroup var file: KeyFileOption

        func run() throws {
            do {
                for entry in try file.editor.list() {
                    print("\(entry.alias)\ttier \(entry.tier)\t\(entry.rate ?? "default rate")\t\(entry.hashed ? "hashed" : "plain")")
                }
            } catch {
                throw ValidationError(error.description)
            }
        }
    }

    /// `keys revoke NAME`.
    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a key; a running server drops it within a second.")
        @Argument(help: "Name of the key to remove.") var name: String
        @OptionGroup var file: KeyFileOption

        func run() throws {
            do { try file.editor.revoke(alias: name) } catch { throw ValidationError(error.description) }
        }
    }
}
