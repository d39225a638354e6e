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

    /// `--quota`, `--expires` and `--routes` as `keys add` and `keys set` take them.
    struct PlanOptions: ParsableArguments {
        @Option(help: "Quota per calendar period (UTC): REQUESTS/PERIOD, SIZE/PERIOD or both (100000,20GB/month); PERIOD day or month.")
        var quota: String?
        @Option(help: "Expiry, ISO 8601 (2027-01-31T00:00:00Z or 2027-01-31): from then on the key gets 403.")
        var expires: String?
        @Option(help: "Routes the key may use, comma-separated: paths, prefixes ending in * (/statistics*), ws for the WebSocket.")
        var routes: String?

        func parsedQuota() throws -> KeyQuota? {
            guard let quota else { return nil }
            guard let parsed = KeyQuota(parsing: quota) else {
                throw ValidationError("--quota must be REQUESTS/PERIOD, SIZE/PERIOD or REQUESTS,SIZE/PERIOD with PERIOD day or month")
            }
            return parsed
        }

        func parsedExpiry() throws -> Date? {
            guard let expires else { return nil }
            guard let date = KeyPlan.parseDate(expires) else { throw ValidationError("--expires must be an ISO 8601 time such as 2027-01-31T00:00:00Z") }
            return date
        }

        func parsedRoutes() throws -> RouteScope? {
            guard let routes else { return nil }
            let patterns = routes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard let scope = RouteScope(patterns) else {
                throw ValidationError("--routes must be paths starting with / (a trailing * matches any ending) or ws, comma-separated")
            }
            return scope
        }

        func plan() throws -> KeyPlan { KeyPlan(quota: try parsedQuota(), expires: try parsedExpiry(), routes: try parsedRoutes()) }
    }

    /// The key file option shared by the three subcommands, resolved like `serve`'s (flag > environment > default).
    struct KeyFileOption: ParsableArguments {
        /// The `serve` options that find the key file.
        static let options = ["api-keys", "data-dir", "profile", "routes", "state-dir", "database"].compactMap(ServeOption.named)

        @Option(help: ArgumentHelp(ServeOption.named("api-keys")?.helpLine() ?? ""))
        var apiKeys: String?

        @Option(help: ArgumentHelp(ServeOption.named("data-dir")?.helpLine() ?? ""))
        var dataDir: String?

        @Option(help: ArgumentHelp(ServeOption.named("profile")?.helpLine() ?? ""))
        var profile: String?

        /// `serve`'s `--routes FILE`, here `--route-file` (`--routes` is a key's scope); `PTN_SERVE_ROUTES` works too.
        @Option(name: .customLong("route-file"), help: ArgumentHelp(ServeOption.named("routes")?.helpLine() ?? ""))
        var routeFile: String?

        @Option(help: ArgumentHelp(ServeOption.named("state-dir")?.helpLine() ?? ""))
        var stateDir: String?

        @Option(help: ArgumentHelp(ServeOption.named("database")?.helpLine() ?? ""))
        var database: String?

        func editor() throws -> KeyFileEditor {
            let (config, table) = try resolve()
            return KeyFileEditor(path: config.apiKeysFile(for: table).path)
        }

        /// Where `serve` would keep usage with these options: the shared database, or the state folder.
        func usageLocation() throws -> (stateDirectory: URL, database: DatabaseURL?) {
            let (config, table) = try resolve()
            return (config.stateDirectory(keyFile: config.apiKeysFile(for: table)), config.database)
        }

        private func resolve() throws -> (ServeConfiguration, RouteTable) {
            let flags = [
                "api-keys": apiKeys, "data-dir": dataDir, "profile": profile, "routes": routeFile, "state-dir": stateDir, "database": database,
            ]
                .compactMapValues { $0 }
            let layers = ConfigLayers(flags: flags, environment: ProcessInfo.processInfo.environment)
            let config = try usageErrors { try ServeConfiguration.resolve(layers, options: Self.options) }
            let table = try usageErrors { try config.routeTable() }
            return (config, table)
        }
    }

    /// `keys add NAME --tier N [--plain] [--rate N/UNIT]`.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Generate a key, store its SHA-256, print the key once.")
        @Argument(help: "Name (alias) of the key's holder, used in logs.") var name: String
        @Option(help: "Tier: 0, 30, 50 or 100.") var tier: Int
        @Flag(help: "Store the key itself rather than its hash (for PTN's own server reading the same file).") var plain = false
        @Option(help: "This key's own rate limit: N/s, N/min or N/h.") var rate: String?
        @OptionGroup var planOptions: PlanOptions
        @OptionGroup var file: KeyFileOption

        func run() throws {
            let plan = try planOptions.plan()
            var spec: RateSpec?
            if let rate {
                guard let parsed = RateSpec(parsing: rate) else { throw ValidationError("--rate must be N/s, N/min or N/h") }
                spec = parsed
            }
            let editor = try file.editor()
            do {
                let key = try editor.add(alias: name, tier: tier, rate: spec, plain: plain, plan: plan)
                print(key)
                FileHandle.standardError.write(Data("key for \"\(name)\" (tier \(tier)) added to \(editor.path); it is shown only this once\n".utf8))
            } catch {
                throw ValidationError(error.description)
            }
        }
    }

    /// `keys list`: names, tiers, rates and plans with what is used of each quota, never keys.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List names, tiers, rates, quotas (used/remaining), expiries and routes (never keys).")
        @OptionGroup var file: KeyFileOption

        func run() async throws {
            let editor = try file.editor()
            let entries: [KeyFileEditor.Listing]
            do { entries = try editor.list() } catch { throw ValidationError(error.description) }
            let usage = try await StoredUsage.open(try file.usageLocation())
            for entry in entries {
                var columns = ["\(entry.alias)", "tier \(entry.tier)", entry.rate ?? "default rate", entry.hashed ? "hashed" : "plain"]
                columns += await KeyListing.planColumns(entry.plan, alias: entry.alias, usage: usage)
                print(columns.joined(separator: "\t"))
            }
        }
    }

    /// `keys set NAME [--tier N] [--rate N/UNIT | --default-rate] [--quota Q | --no-quota] [--expires T | --no-expiry]
    /// [--routes R | --all-routes]`: the console's "change" as a command.
    struct Change: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Change a key's tier, rate, quota, expiry or routes; the key itself stays."
        )
        @Argument(help: "Name of the key to change.") var name: String
        @Option(help: "New tier: 0, 30, 50 or 100.") var tier: Int?
        @Option(help: "New rate limit of its own: N/s, N/min or N/h.") var rate: String?
        @Flag(help: "Drop its own rate: the server's --rate-limit applies.") var defaultRate = false
        @OptionGroup var planOptions: PlanOptions
        @Flag(help: "Remove its quota.") var noQuota = false
        @Flag(help: "Remove its expiry.") var noExpiry = false
        @Flag(help: "Remove its route list: every route.") var allRoutes = false
        @OptionGroup var file: KeyFileOption

        func run() throws {
            var plan = KeyPlanChange()
            if let quota = try planOptions.parsedQuota() { plan.quota = .some(quota) } else if noQuota { plan.quota = .some(nil) }
            if let expires = try planOptions.parsedExpiry() { plan.expires = .some(expires) } else if noExpiry { plan.expires = .some(nil) }
            if let routes = try planOptions.parsedRoutes() { plan.routes = .some(routes) } else if allRoutes { plan.routes = .some(nil) }
            guard tier != nil || rate != nil || defaultRate || !plan.isEmpty else {
                throw ValidationError("give --tier, --rate, --default-rate, --quota, --no-quota, --expires, --no-expiry, --routes or --all-routes")
            }
            guard rate == nil || !defaultRate else { throw ValidationError("--rate and --default-rate exclude each other") }
            guard planOptions.quota == nil || !noQuota, planOptions.expires == nil || !noExpiry, planOptions.routes == nil || !allRoutes else {
                throw ValidationError("a value and its removal exclude each other")
            }
            var change: RateSpec??
            if let rate {
                guard let parsed = RateSpec(parsing: rate) else { throw ValidationError("--rate must be N/s, N/min or N/h") }
                change = .some(parsed)
            } else if defaultRate {
                change = .some(nil)
            }
            let editor = try file.editor()
            do { try editor.change(alias: name, tier: tier, rate: change, plan: plan) } catch { throw ValidationError(error.description) }
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
