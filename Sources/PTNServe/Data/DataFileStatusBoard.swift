import Metrics
import Foundation
import Synchronization

/// What the reloader last did with each served file, for `/ready` and the metrics. Holds no path and no data.
public final class DataFileStatusBoard: Sendable {
    /// One file's reload history.
    public struct Entry: Sendable, Equatable {
        /// When the reloader last tried to load a version of the file.
        public var lastAttempt: Date?
        /// Why the last attempt failed, or nil if it succeeded (or none was made).
        public var lastError: String?
        /// Versions loaded since start.
        public var loads = 0
        /// Versions refused since start.
        public var failures = 0
    }

    private let entries = Mutex<[ServedFile: Entry]>([:])
    private let loadCounters: [ServedFile: Counter]
    private let failureCounters: [ServedFile: Counter]

    /// `factory` receives the reload counters; the default discards them (tests, tools).
    public init(metrics factory: any MetricsFactory = NOOPMetricsHandler.instance) {
        var loads = [ServedFile: Counter]()
        var failures = [ServedFile: Counter]()
        for file in ServedFile.allCases {
            let dimensions = [("file", file.description)]
            loads[file] = Counter(label: "ptn_serve_data_file_reloads_total", dimensions: dimensions, factory: factory)
            failures[file] = Counter(label: "ptn_serve_data_file_reload_failures_total", dimensions: dimensions, factory: factory)
        }
        self.loadCounters = loads
        self.failureCounters = failures
    }

    /// The file's history so far.
    public func entry(_ file: ServedFile) -> Entry {
        entries.withLock { $0[file] } ?? Entry()
    }

    func recordLoaded(_ file: ServedFile, at date: Date = Date()) {
        entries.withLock { entries in
            var entry = entries[file] ?? Entry()
            entry.lastAttempt = date
            entry.lastError = nil
            entry.loads += 1
            entries[file] = entry
        }
        loadCounters[file]?.increment()
    }

    func recordFailure(_ file: ServedFile, reason: String, at date: Date = Date()) {
        entries.withLock { entries in
            var entry = entries[file] ?? Entry()
            entry.lastAttempt = date
            entry.lastError = reason
            entry.failures += 1
            entries[file] = entry
        }
        failureCounters[file]?.increment()
    }

    /// A file that vanished from disk: not a failed load, but worth showing beside the version still served.
    func recordDisappeared(_ file: ServedFile) {
        entries.withLock { entries in
            var entry = entries[file] ?? Entry()
            entry.lastError = "the file disappeared from disk"
            entries[file] = entry
        }
    }
}
