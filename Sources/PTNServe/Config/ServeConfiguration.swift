import Foundation
import Logging

/// Everything `ptn-serve serve` needs to run, resolved from flags, environment and defaults.
public struct ServeConfiguration: Sendable {
    /// The PTN repository root, holding `validation/` and `runnable/`.
    public var dataRoot: URL
    /// The API key file; nil uses the route table's default (`api_keys`, see `keyFile(for:)`).
    public var apiKeysFile: URL?
    /// A route file replacing the built-in profile.
    public var routesFile: URL?
    /// The built-in profile served when no route file is given.
    public var profile = "ptn"
    /// Address to bind.
    public var host: String
    /// Port to bind (0 picks a free one).
    public var port: Int
    /// Accept `?api_key=` (off by default: keys in URLs end up in proxy and shell logs).
    public var allowQueryKey: Bool
    /// How often the data files and the key file are checked for changes.
    public var pollInterval: Duration

    // Hardening (rate limits, TLS, allow-from, connection limits, timeouts, shutdown).
    /// Everything that makes the server safe to expose; the defaults are safe for a public port.
    public var security = SecurityConfiguration()

    // MARK: Operations (issue 5): metrics listener, usage report, readiness, logs.

    /// Address of the separate `/metrics` listener (never the public port).
    public var metricsHost = "127.0.0.1"
    /// Port of the `/metrics` listener; 0 turns it off.
    public var metricsPort = 9488
    /// How often the usage report is logged; zero turns it off.
    public var usageReportInterval: Duration = .seconds(300)
    /// A data file whose version is older than this is reported stale, and readiness degraded.
    public var staleAfter: Duration = .seconds(600)
    /// How log lines are written.
    public var logFormat: LogFormat = .text
    /// The lowest level logged; `info` includes a line per request, `notice` leaves those out.
    public var logLevel: Logger.Level = .info

    /// Builds a configuration; `dataDir` may be the PTN root or its `validation/` folder (how the seed was run).
    public init(
        dataDir: String,
        apiKeysFile: String? = nil,
        host: String = "127.0.0.1",
        port: Int = 48888,
        allowQueryKey: Bool = false,
        pollInterval: Duration = .milliseconds(500)
    ) {
        let root = Self.resolveRoot(dataDir)
        self.dataRoot = root
        self.apiKeysFile = apiKeysFile.map { URL(fileURLWithPath: $0) }
        self.host = host
        self.port = port
        self.allowQueryKey = allowQueryKey
        self.pollInterval = pollInterval
    }

    /// The route table in force: the route file if one is given, else the built-in profile.
    public func routeTable() throws(RouteFileError) -> RouteTable {
        try RouteTable.resolve(routes: routesFile?.path, profile: profile)
    }

    /// The key file in force: the one given, else the first of the table's `api_keys` that exists under the data
    /// directory (the first of them when none does, so the error names it).
    public func keyFile(for table: RouteTable) -> URL {
        if let apiKeysFile { return apiKeysFile }
        let candidates = table.apiKeyFiles.map { dataRoot.appendingPathComponent($0) }
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) } ?? candidates.first
            ?? dataRoot.appendingPathComponent("api_keys.json")
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
