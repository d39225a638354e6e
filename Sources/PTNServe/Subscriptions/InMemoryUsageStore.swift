import Synchronization

/// Usage rows in memory: what a server without a state folder keeps, and what tests use.
final class InMemoryUsageStore: UsageStore {
    private struct RowKey: Hashable {
        let alias: String
        let route: String
        let hourStart: Int64
    }

    private let rowsByKey = Mutex([RowKey: UsageRow]())

    init() {}

    func add(_ rows: [UsageRow]) async throws {
        rowsByKey.withLock { stored in
            for row in rows {
                stored[RowKey(alias: row.alias, route: row.route, hourStart: row.hourStart), default: UsageRow(alias: row.alias, route: row.route, hourStart: row.hourStart)].add(row)
            }
        }
    }

    func rows(alias: String?, since: Int64?) async throws -> [UsageRow] {
        rowsByKey.withLock { Array($0.values) }
            .filter { row in (alias.map { row.alias == $0 } ?? true) && (since.map { row.hourStart >= $0 } ?? true) }
            .sorted { ($0.hourStart, $0.alias, $0.route) < ($1.hourStart, $1.alias, $1.route) }
    }

    func totals(since: Int64) async throws -> [String: QuotaUsage] {
        var totals = [String: QuotaUsage]()
        for row in try await rows(alias: nil, since: since) { totals[row.alias, default: QuotaUsage()] = totals[row.alias, default: QuotaUsage()] + row.quotaUsage }
        return totals
    }
}
