import Foundation
import Synchronization

/// Collects the requests of the current window for the periodic usage report (PTN's `APIMetricsTracker` view).
package final class UsageRecorder: Sendable {
    /// Latencies kept per route and window, as PTN's deques: enough for p99, bounded in memory.
    static let maxSamplesPerRoute = 10_000

    private let window = Mutex(UsageWindow(started: Date()))

    package init() {}

    /// Records one answered request.
    func record(alias: String, route: String, status: Int, duration: Duration) {
        window.withLock { $0.record(alias: alias, route: route, status: status, milliseconds: duration.inMilliseconds) }
    }

    /// Ends the current window and returns its report; the next window starts now.
    package func drain(now: Date = Date()) -> UsageReport {
        let finished = window.withLock { window in
            let finished = window
            window = UsageWindow(started: now)
            return finished
        }
        return UsageReport(window: finished, ended: now)
    }
}

/// The raw counts of one report window.
struct UsageWindow: Sendable {
    /// A failure group: PTN groups failures by alias, route and status.
    struct FailureKey: Hashable, Sendable {
        let alias: String
        let route: String
        let status: Int
    }

    /// One route's latencies (capped) and exact count.
    struct RouteSamples: Sendable {
        var count = 0
        var totalMilliseconds = 0.0
        var samples = [Double]()
    }

    let started: Date
    var requestsByAlias = [String: Int]()
    var routes = [String: RouteSamples]()
    var failures = [FailureKey: Int]()

    mutating func record(alias: String, route: String, status: Int, milliseconds: Double) {
        requestsByAlias[alias, default: 0] += 1
        var samples = routes[route] ?? RouteSamples()
        samples.count += 1
        samples.totalMilliseconds += milliseconds
        if samples.samples.count < UsageRecorder.maxSamplesPerRoute { samples.samples.append(milliseconds) }
        routes[route] = samples
        if status >= 400 { failures[FailureKey(alias: alias, route: route, status: status), default: 0] += 1 }
    }
}
