import Foundation
import Synchronization

/// Counts every keyed answer as it is sent: the hourly rows not yet written to the `UsageStore`, and each key's use of
/// the current day and month, which quotas are checked against. Seeded from the store at start, so a restart loses
/// only what was not yet written.
package final class UsageMeter: Sendable {
    private struct PeriodCount {
        var start: Int64
        var usage = QuotaUsage()
    }

    private struct RowKey: Hashable {
        let alias: String
        let route: String
        let hourStart: Int64
    }

    private struct State {
        var periods = [String: [QuotaPeriod: PeriodCount]]()
        var pending = [RowKey: UsageRow]()
        /// Rows taken by a write that has not finished: still counted by `unwritten`, so a reader between the take
        /// and the commit misses nothing.
        var inFlight = [UsageRow]()
        /// How many writes have committed: a reader that saw it change while reading the store reads again.
        var writes: UInt64 = 0
        /// The periods of the last time counted: recomputed only when a time falls outside them.
        var bounds = PeriodBounds(containing: Date())

        /// The start of the `period` holding `seconds`.
        mutating func start(of period: QuotaPeriod, at seconds: Int64) -> Int64 {
            if !bounds.contains(seconds) { bounds = PeriodBounds(containing: Date(timeIntervalSince1970: TimeInterval(seconds))) }
            return bounds.start(of: period)
        }
    }

    private let state = Mutex(State())

    package init() {}

    /// Records one answer to `alias`'s key on `route` at `date`.
    package func record(alias: String, route: String, status: Int, bytes: Int, at date: Date = Date()) {
        var row = UsageRow(alias: alias, route: route, hourStart: Self.hourStart(date), requests: 1, bytes: Int64(bytes))
        if (400..<500).contains(status) { row.clientErrors = 1 }
        if status == 429 { row.rateLimited = 1 }
        add(row, at: date)
    }

    /// Records `bytes` of one frame of an open stream of `alias` on `route` (the stream's opening was one request).
    package func recordFrame(alias: String, route: String, bytes: Int, at date: Date = Date()) {
        add(UsageRow(alias: alias, route: route, hourStart: Self.hourStart(date), bytes: Int64(bytes)), at: date)
    }

    /// Records the whole seconds an open stream of `alias` on `route` spent from `start` to `end`, each in the hour it
    /// fell in. Consecutive spans add up exactly (each counts the second boundaries it crosses).
    package func recordStream(alias: String, route: String, from start: Date, to end: Date) {
        var second = Int64(start.timeIntervalSince1970.rounded(.down))
        let last = Int64(end.timeIntervalSince1970.rounded(.down))
        while second < last {
            let hour = Self.hourStart(Date(timeIntervalSince1970: TimeInterval(second)))
            let upTo = min(last, hour + 3600)
            add(UsageRow(alias: alias, route: route, hourStart: hour, streamSeconds: upTo - second), at: Date(timeIntervalSince1970: TimeInterval(second)))
            second = upTo
        }
    }

    private func add(_ row: UsageRow, at date: Date) {
        let key = RowKey(alias: row.alias, route: row.route, hourStart: row.hourStart)
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        state.withLock { state in
            state.pending[key, default: UsageRow(alias: row.alias, route: row.route, hourStart: row.hourStart)].add(row)
            for period in QuotaPeriod.allCases {
                let start = state.start(of: period, at: seconds)
                var count = state.periods[row.alias]?[period] ?? PeriodCount(start: start)
                if count.start != start { count = PeriodCount(start: start) }
                count.usage = count.usage + row.quotaUsage
                state.periods[row.alias, default: [:]][period] = count
            }
        }
    }

    /// `alias`'s use of the `period` holding `date`.
    package func usage(alias: String, period: QuotaPeriod, at date: Date = Date()) -> QuotaUsage {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        return state.withLock { state in
            let start = state.start(of: period, at: seconds)
            guard let count = state.periods[alias]?[period], count.start == start else { return QuotaUsage() }
            return count.usage
        }
    }

    /// Adds what the store holds of each key's `period` starting at `start` (at start-up, before any request).
    package func seed(_ totals: [String: QuotaUsage], period: QuotaPeriod, start: Date) {
        let start = Int64(start.timeIntervalSince1970)
        state.withLock { state in
            for (alias, usage) in totals {
                var count = state.periods[alias]?[period] ?? PeriodCount(start: start)
                guard count.start == start else { continue }
                count.usage = count.usage + usage
                state.periods[alias, default: [:]][period] = count
            }
        }
    }

    /// Takes the rows not yet written, for one write at a time; then `written()` once it commits, or `restore` if
    /// it fails.
    package func drain() -> [UsageRow] {
        state.withLock { state in
            let rows = Array(state.pending.values)
            state.pending.removeAll(keepingCapacity: true)
            state.inFlight = rows
            return rows
        }
    }

    /// The rows `drain` took are in the store now.
    package func written() {
        state.withLock { state in
            state.inFlight = []
            state.writes &+= 1
        }
    }

    /// Puts back rows a failed write took, adding them to what came since.
    package func restore(_ rows: [UsageRow]) {
        state.withLock { state in
            state.inFlight = []
            for row in rows {
                let key = RowKey(alias: row.alias, route: row.route, hourStart: row.hourStart)
                state.pending[key, default: UsageRow(alias: row.alias, route: row.route, hourStart: row.hourStart)].add(row)
            }
        }
    }

    /// The rows of `alias` not in the store yet (waiting, or in a write not committed), and the count of committed
    /// writes they were read at.
    package func unwritten(alias: String) -> (rows: [UsageRow], writes: UInt64) {
        state.withLock { state in
            (state.pending.values.filter { $0.alias == alias } + state.inFlight.filter { $0.alias == alias }, state.writes)
        }
    }

    /// How many writes have committed.
    var writes: UInt64 { state.withLock { $0.writes } }

    /// The start of the hour holding `date`, in seconds since 1970.
    package static func hourStart(_ date: Date) -> Int64 {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        return seconds - ((seconds % 3600) + 3600) % 3600
    }
}
