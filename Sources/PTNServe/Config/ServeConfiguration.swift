import Foundation
import Logging

/// Everything `ptn-serve serve` needs to run, resolved from flags, environment, config file and defaults. Each setting
/// an option controls starts at that option's declared default (`ServeOption.all`).
package struct ServeConfiguration: Sendable {
    /// The PTN repository root, holding `validation/` and `runnable/`.
    package var dataRoot: URL = ServeOption.defaultValue(\.dataRoot)
    /// The `--api-keys` file if one was given; `apiKeysFile(for:)` is the file used.
    package var apiKeys: URL?
    /// Address to bind.
    package var host: String = ServeOption.defaultValue(\.host)
    /// Port to bind (0 picks a free one).
    package var port: Int = ServeOption.defaultValue(\.port)
    /// Accept `?api_key=` (off by default: keys in URLs end up in proxy and shell logs).
    package var allowQueryKey: Bool = ServeOption.defaultValue(\.allowQueryKey)
    /// The built-in route profile to serve (`--profile`).
    package var profile: String = ServeOption.defaultValue(\.profile)
    /// A route file to serve instead of the profile's routes (`--routes`).
    package var routesFile: URL?
    /// Answer table reads on the event loop ahead of Hummingbird (`--fast-lane`); off, Hummingbird answers everything.
    package var fastLane: Bool = ServeOption.defaultValue(\.fastLane)
    /// How often the data files and the key file are checked for changes.
    package var pollInterval: Duration = .milliseconds(500)

    // Hardening (rate limits, TLS, allow-from, connection limits, timeouts, shutdown).
    /// Everything that makes the server safe to expose; the defaults are safe for a public port.
    package var security: SecurityConfiguration = .init()

    // MARK: Operations: metrics listener, usage report, readiness, logs.

    /// Address of the separate `/metrics` listener (never the public port).
    package var metricsHost: String = ServeOption.defaultValue(\.metricsHost)
    /// Port of the `/metrics` listener; 0 turns it off.
    package var metricsPort: Int = ServeOption.defaultValue(\.metricsPort)
    /// How often the usage report is logged; zero turns it off.
    package var usageReportInterval: Duration = ServeOption.defaultValue(\.usageReportInterval)
    /// A data file whose version is older than this is reported stale, and readiness degraded.
    package var staleAfter: Duration = ServeOption.defaultValue(\.staleAfter)
    /// How often the usage rows are written: how far behind the database may be, what a `kill -9` can lose.
    package var usageFlushInterval: Duration = ServeOption.defaultValue(\.usageFlushInterval)
    /// How log lines are written.
    package var logFormat: LogFormat = ServeOption.defaultValue(\.logFormat)
    /// The lowest level logged; `info` includes a line per request, `notice` leaves those out.
    package var logLevel: Logger.Level = ServeOption.defaultValue(\.logLevel)

    /// Megabytes of filtered answers kept for repeated questions.
    package var queryCacheMegabytes: Int = ServeOption.defaultValue(\.queryCacheMegabytes)

    // MARK: Live changes: the change journal and its followers.

    /// The port of PTN's WebSocket protocol (same address as `host`, TLS when the main port has it); 0 for none.
    package var wsPort: Int = ServeOption.defaultValue(\.wsPort)
    /// The change journal's folder if `--state-dir` was given; `stateDirectory` is the folder used.
    package var stateDir: URL?
    /// The PostgreSQL database replicas share (`--database`); nil keeps everything in SQLite in the state folder.
    package var database: DatabaseURL?
    /// How much history the journal keeps, and how far behind a follower may fall.
    package var feedRetention: FeedRetention = .init(
        maxAge: ServeOption.defaultValue(\.feedRetention.maxAge),
        maxEvents: ServeOption.defaultValue(\.feedRetention.maxEvents),
        lagLimit: ServeOption.defaultValue(\.feedRetention.lagLimit)
    )

    /// The change journal's folder: `--state-dir`, else `ptn-serve-state` beside the key file in use.
    package var stateDirectory: URL { stateDirectory(keyFile: apiKeysFile) }

    /// The change journal's folder when the key file in use is `keyFile`.
    package func stateDirectory(keyFile: URL) -> URL {
        stateDir ?? keyFile.deletingLastPathComponent().appendingPathComponent("ptn-serve-state")
    }

    /// Every setting at its default.
    init() {}

    /// Builds a configuration; `dataDir` may be the PTN root or its `validation/` folder (how the seed was run). A nil
    /// argument keeps the option's default.
    package init(
        dataDir: String,
        apiKeysFile: String? = nil,
        host: String? = nil,
        port: Int? = nil,
        allowQueryKey: Bool? = nil,
        pollInterval: Duration? = nil
    ) {
        dataRoot = Self.resolveRoot(dataDir)
        apiKeys = apiKeysFile.map(OptionValue.path)
        if let host { self.host = host }
        if let port { self.port = port }
        if let allowQueryKey { self.allowQueryKey = allowQueryKey }
        if let pollInterval { self.pollInterval = pollInterval }
    }

    /// The route table in force: the route file if one is given, else the built-in profile; it may not use the server's
    /// own paths.
    package func routeTable() throws(RouteFileError) -> RouteTable {
        try RouteTable.resolve(routes: routesFile?.path, profile: profile, reserving: ServerPaths.reserved)
    }

    /// The key file in use with `table`: `--api-keys` if given, else the first of the table's `api_keys` that exists
    /// under the data root (the first of them when none does, so the error names it). The one place that chooses it.
    package func apiKeysFile(for table: RouteTable) -> URL {
        if let apiKeys { return apiKeys }
        let candidates = table.apiKeyFiles.map { dataRoot.appendingPathComponent($0) }
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) } ?? candidates.first
            ?? dataRoot.appendingPathComponent("api_keys.json")
    }

    /// The key file in use with the route table this configuration names (`--api-keys` when that table is unreadable).
    package var apiKeysFile: URL {
        (try? routeTable()).map { apiKeysFile(for: $0) } ?? apiKeys ?? dataRoot.appendingPathComponent("api_keys.json")
    }

    /// The seed server was pointed at `<root>/validation/`; a folder holding `outputs/` is taken to be that folder.
    static func resolveRoot(_ dataDir: String) -> URL {
        let url = URL(fileURLWithPath: dataDir).standardizedFileURL
        var isDirectory: ObjCBool = false
        let outputs = url.appendingPathComponent("outputs").path
        if FileManager.default.fileExists(atPath: outputs, isDirectory: &isDirectory), isDirectory.boolValue {
            return url.deletingLastPathComponent()
        }
        return url
    }
}
