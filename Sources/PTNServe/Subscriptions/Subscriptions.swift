import Foundation
import Logging

/// The selling side's shared parts: the meter every keyed answer is counted in, and the store its rows are written to.
final class Subscriptions: Sendable {
    let meter: UsageMeter
    let store: any UsageStore
    /// How far behind the store may be: what a `kill -9` can lose.
    let flushInterval: Duration

    /// Replicas sharing a database: each one's share of the quotas (nil on one server, whose meter sees every request).
    let leases: QuotaLeases?

    init(meter: UsageMeter = UsageMeter(), store: any UsageStore, flushInterval: Duration = .seconds(2), leases: QuotaLeases? = nil) {
        self.meter = meter
        self.store = store
        self.flushInterval = flushInterval
        self.leases = leases
    }

    /// Opens the usage store in `stateDirectory`'s database (in memory when there is none or it cannot be opened) and
    /// seeds the meter with the current day's and month's use, so quotas count on across restarts.
    static func open(
        stateDirectory: URL?, logger: Logger, flushInterval: Duration = .seconds(2), now: Date = Date()
    ) async throws -> Subscriptions {
        var store: SQLiteUsageStore?
        if let stateDirectory {
            do {
                try FileManager.default.createDirectory(at: stateDirectory, withIntermediateDirectories: true)
                store = try await SQLiteUsageStore.open(path: SQLiteUsageStore.path(in: stateDirectory), logger: logger)
            } catch {
                // File system errors name paths: the reason stays out of the log.
                logger.warning("usage store cannot be opened in the state folder (check --state-dir and its permissions)")
            }
        }
        if store == nil {
            store = try await SQLiteUsageStore.open(path: nil, logger: logger)
            logger.warning("usage kept in memory only: quotas start from zero at restart")
        }
        return try await open(store: store!, flushInterval: flushInterval, now: now)
    }

    /// Subscriptions over `store` (a shared PostgreSQL one, with the replicas' `leases`), the meter seeded with the
    /// current day's and month's use.
    static func open(
        store: any UsageStore, flushInterval: Duration = .seconds(2), leases: QuotaLeases? = nil, now: Date = Date()
    ) async throws -> Subscriptions {
        let subscriptions = Subscriptions(store: store, flushInterval: flushInterval, leases: leases)
        try await subscriptions.seed(now: now)
        return subscriptions
    }

    /// Adds the stored use of the periods holding `now` to the meter.
    func seed(now: Date) async throws {
        for period in QuotaPeriod.allCases {
            let start = period.start(containing: now)
            meter.seed(try await store.totals(since: Int64(start.timeIntervalSince1970)), period: period, start: start)
        }
    }

    /// Writes the meter's pending rows; on failure they go back to the meter for the next try.
    func flush() async throws {
        let rows = meter.drain()
        do {
            try await store.add(rows)
            meter.written()
        } catch {
            meter.restore(rows)
            throw error
        }
    }

    /// `alias`'s usage rows since `since` (seconds): the store's and those not written yet, each counted once even
    /// while a write commits meanwhile (the read is made again when one did).
    func rows(alias: String, since: Int64) async throws -> [UsageRow] {
        while true {
            let (unwritten, writes) = meter.unwritten(alias: alias)
            let stored = try await store.rows(alias: alias, since: since)
            if meter.writes == writes { return stored + unwritten.filter { $0.hourStart >= since } }
        }
    }
}
