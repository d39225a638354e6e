import Foundation
import Synchronization

/// Counts every keyed answer as it is sent: the hourly rows not yet written to the `UsageStore`, and each key's use of
/// the current day and month, which quotas are checked against. Seeded from the store at start, so a restart loses
/// only what was not yet written.
public final class UsageMeter: Sendable {
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
    }

    private let state = Mutex(State())

    public init() {}

    /// Records one answer to `alias`'s key on `route` at `date`.
    public func record(alias: String, route: String, status: Int, bytes: Int, at date: Date = Date()) {
        var row = UsageRow(alias: alias, route: route, hourStart: Self.hourStart(date), requests: 1, bytes: Int64(bytes))
        if (400..<500).contains(status) { row.clientErrors = 1 }
        if status == 429 { row.rateLimited = 1 }
        add(row, at: date)
    }

    /// Records `seconds` of an open stream of `alias` on `route`.
    public func recordStream(alias: String, route: String, seconds: Int64, at date: Date = Date()) {
        guard seconds > 0 else { return }
        add(UsageRow(alias: alias, route: route, hourStart: Self.hourStart(date), streamSeconds: seconds), at: date)
    }

    private func add(_ row: UsageRow, at date: Date) {
        let key = RowKey(alias: row.alias, route: row.route, hourStart: row.hourStart)
        state.withLock { state in
            state.pending[key, default: UsageRow(alias: row.alias, route: row.route, hourStart: row.hourStart)].add(row)
            for period in QuotaPeriod.allCases {
                let start = Int64(period.start(containing: date).timeIntervalSince1970)
                var count = state.periods[row.alias]?[period] ?? PeriodCount(start: start)
                if count.start != start { count = PeriodCount(start: start) }
                count.usage = count.usage + row.quotaUsage
                state.periods[row.alias, default: [:]][period] = count
            }
        }
    }

    /// `alias`'s use of the `period` holding `date`.
    public func usage(alias: String, period: QuotaPeriod, at date: Date = Date()) -> QuotaUsage {
        let start = Int64(period.start(containing: date).timeIntervalSince1970)
        return state.withLock { state in
            guard let count = state.periods[alias]?[period], count.start == start else { return QuotaUsage() }
            return count.usage
        }
    }

    /// Adds what the store holds of each key's `period` starting at `start` (at start-up, before any request).
    public func seed(_ totals: [String: QuotaUsage], period: QuotaPeriod, start: Date) {
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

    /// Takes the rows not yet written; `restore` puts them back if writing fails.
    public func drain() -> [UsageRow] {
        state.withLock { state in
            let rows = Array(state.pending.values)
            state.pending.removeAll(keepingCapacity: true)
            return rows
        }
    }

    /// Puts back rows a failed write took, adding them to what came since.
    public func restore(_ rows: [UsageRow]) {
        state.withLock { state in
            for row in rows {
                let key = RowKey(alias: row.alias, route: row.route, hourStart: row.hourStart)
                state.pending[key, default: UsageRow(alias: row.alias, route: row.route, hourStart: row.hourStart)].add(row)
            }
        }
    }

    /// The rows of `alias` not yet written (for answers that must include the last seconds).
    public func pending(alias: String) -> [UsageRow] {
        state.withLock { $0.pending.values.filter { $0.alias == alias } }
    }

    /// The start of the hour holding `date`, in seconds since 1970.
    public static func hourStart(_ date: Date) -> Int64 {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        return seconds - ((seconds % 3600) + 3600) % 3600
    }
}
