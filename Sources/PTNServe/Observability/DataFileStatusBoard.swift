import Metrics
import Foundation
import Synchronization

/// What the reloader last did with each served file, for `/ready` and the metrics. Holds no path and no data.
package final class DataFileStatusBoard: Sendable {
    /// One file's reload history.
    package struct Entry: Sendable, Equatable {
        /// When the reloader last tried to load a version of the file.
        package var lastAttempt: Date?
        /// Why the last attempt failed, or nil if it succeeded (or none was made).
        package var lastError: String?
        /// Versions loaded since start.
        package var loads = 0
        /// Versions refused since start.
        package var failures = 0
        /// Routes that cannot answer from the served version, by path, with the reason (a file of the wrong shape).
        package var routeProblems: [String: String] = [:]
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let factory: any MetricsFactory

    /// `factory` receives the reload counters; the default discards them (tests, tools).
    package init(metrics factory: any MetricsFactory = NOOPMetricsHandler.instance) {
        self.factory = factory
    }

    /// Creates the files' reload counters at zero, so they are scraped before the first reload.
    func register(_ files: [ServedFile]) {
        for file in files {
            _ = counter("ptn_serve_data_file_reloads_total", file)
            _ = counter("ptn_serve_data_file_reload_failures_total", file)
        }
    }

    /// The history so far of the file called `name`.
    package func entry(_ name: String) -> Entry {
        entries.withLock { $0[name] } ?? Entry()
    }

    /// The file's counter of `label`; the factory hands back the same series for the same labels.
    private func counter(_ label: String, _ file: ServedFile) -> Counter {
        Counter(label: label, dimensions: [("file", file.name)], factory: factory)
    }

    func recordLoaded(_ file: ServedFile, routeProblems: [String: String] = [:], at date: Date = Date()) {
        entries.withLock { entries in
            var entry = entries[file.name] ?? Entry()
            entry.lastAttempt = date
            entry.lastError = nil
            entry.loads += 1
            entry.routeProblems = routeProblems
            entries[file.name] = entry
        }
        counter("ptn_serve_data_file_reloads_total", file).increment()
    }

    func recordFailure(_ file: ServedFile, reason: String, at date: Date = Date()) {
        entries.withLock { entries in
            var entry = entries[file.name] ?? Entry()
            entry.lastAttempt = date
            entry.lastError = reason
            entry.failures += 1
            entries[file.name] = entry
        }
        counter("ptn_serve_data_file_reload_failures_total", file).increment()
    }

    /// A file that vanished from disk: not a failed load, but worth showing beside the version still served.
    func recordDisappeared(_ file: ServedFile) {
        entries.withLock { entries in
            var entry = entries[file.name] ?? Entry()
            entry.lastError = "the file disappeared from disk"
            entries[file.name] = entry
        }
    }
}
