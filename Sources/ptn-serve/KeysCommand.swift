import ArgumentParser
import Foundation
import PTNServe

/// `ptn-serve keys`: manage the key file without editing JSON by hand.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Add, list, change and revoke API keys in the key file.",
        subcommands: [Add.self, List.self, Change.self, Revoke.self]
    )

    /// The key file option shared by the three subcommands, resolved like `serve`'s (flag > environment > default).
    struct KeyFileOption: ParsableArguments {
        /// The `serve` options that find the key file.
        static let options = ["api-keys", "data-dir", "profile", "routes"].compactMap(ServeOption.named)

        @Option(help: ArgumentHelp(ServeOption.named("api-keys")?.helpLine() ?? ""))
        var apiKeys: String?

        @Option(help: ArgumentHelp(ServeOption.named("data-dir")?.helpLine() ?? ""))
        var dataDir: String?

        @Option(help: ArgumentHelp(ServeOption.named("profile")?.helpLine() ?? ""))
        var profile: String?

        @Option(help: ArgumentHelp(ServeOption.named("routes")?.helpLine() ?? ""))
        var routes: String?

        func editor() throws -> KeyFileEditor {
            let flags = ["api-keys": apiKeys, "data-dir": dataDir, "profile": profile, "routes": routes].compactMapValues { $0 }
            let layers = ConfigLayers(flags: flags, environment: ProcessInfo.processInfo.environment)
            let config = try usageErrors { try ServeConfiguration.resolve(layers, options: Self.options) }
            let table = try usageErrors { try config.routeTable() }
            return KeyFileEditor(path: config.apiKeysFile(for: table).path)
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
            let editor = try file.editor()
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
            let editor = try file.editor()
            do {
                for entry in try editor.list() {
                    print("\(entry.alias)\ttier \(entry.tier)\t\(entry.rate ?? "default rate")\t\(entry.hashed ? "hashed" : "plain")")
                }
            } catch {
                throw ValidationError(error.description)
            }
        }
    }

    /// `keys set NAME [--tier N] [--rate N/UNIT | --default-rate]`: the console's "change" as a command.
    struct Change: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Change a key's tier or rate; the key itself stays.")
        @Argument(help: "Name of the key to change.") var name: String
        @Option(help: "New tier: 0, 30, 50 or 100.") var tier: Int?
        @Option(help: "New rate limit of its own: N/s, N/min or N/h.") var rate: String?
        @Flag(help: "Drop its own rate: the server's --rate-limit applies.") var defaultRate = false
        @OptionGroup var file: KeyFileOption

        func run() throws {
            guard tier != nil || rate != nil || defaultRate else { throw ValidationError("give --tier, --rate or --default-rate") }
            guard rate == nil || !defaultRate else { throw ValidationError("--rate and --default-rate exclude each other") }
            var change: RateSpec??
            if let rate {
                guard let parsed = RateSpec(parsing: rate) else { throw ValidationError("--rate must be N/s, N/min or N/h") }
                change = .some(parsed)
            } else if defaultRate {
                change = .some(nil)
            }
            let editor = try file.editor()
            do { try editor.change(alias: name, tier: tier, rate: change) } catch { throw ValidationError(error.description) }
        }
    }

    /// `keys revoke NAME`.
    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a key; a running server drops it within a second.")
        @Argument(help: "Name of the key to remove.") var name: String
        @OptionGroup var file: KeyFileOption

        func run() throws {
            let editor = try file.editor()
            do { try editor.revoke(alias: name) } catch { throw ValidationError(error.description) }
        }
    }
}
