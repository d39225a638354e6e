import Foundation
import Synchronization

/// Feeds the console's traffic figures: every answered request of the public port, kept by minute for a day in fixed
/// memory (see `TrafficSeries`). One lock and a few counter increments per request.
package final class TrafficRecorder: Sendable {
    private let series = Mutex(TrafficSeries())

    package init() {}

    /// Records one answered request; `seconds` is Unix time (now unless a test says otherwise).
    func record(alias: String, route: String, status: Int, bytes: Int, duration: Duration, seconds: Double = Date().timeIntervalSince1970) {
        let milliseconds = duration.inMilliseconds
        series.withLock { $0.record(alias: alias, route: route, status: status, bytes: bytes, milliseconds: milliseconds, seconds: seconds) }
    }

    /// The figures at `seconds` (Unix time).
    package func report(seconds: Double = Date().timeIntervalSince1970) -> TrafficReport {
        series.withLock { TrafficReport.make($0, seconds: seconds) }
    }
}
