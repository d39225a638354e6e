import ArgumentParser
import Foundation
import Logging
import PTNServe

/// The plan columns of `keys list`: quota with what is used and left of the current period, expiry, routes.
enum KeyListing {
    static func planColumns(_ plan: KeyPlan, alias: String, usage: StoredUsage?) async -> [String] {
        var columns = [String]()
        if let quota = plan.quota {
            let used = await usage?.used(alias: alias, period: quota.period) ?? QuotaUsage()
            let standing = QuotaStanding(quota: quota, used: used, now: Date())
            var parts = ["quota \(quota.description)"]
            if let limit = quota.requests { parts.append("requests used \(used.requests) remaining \(standing.remainingRequests() ?? limit)") }
            if quota.bytes != nil { parts.append("bytes used \(used.bytes) remaining \(standing.remainingBytes() ?? 0)") }
            columns.append(parts.joined(separator: " "))
        } else {
            columns.append("no quota")
        }
        columns.append(plan.expires.map { (plan.isExpired(at: Date()) ? "expired " : "expires ") + KeyPlan.timeText($0) } ?? "no expiry")
        columns.append(plan.routes.map { "routes " + $0.patterns.joined(separator: ",") } ?? "all routes")
        return columns
    }
}

/// The usage store as the commands read it: the replicas' shared database, or a state folder's (nil: nothing recorded
/// there yet).
struct StoredUsage {
    let store: any UsageStore

    static func open(_ location: (stateDirectory: URL, database: DatabaseURL?)) async throws -> StoredUsage? {
        var logger = Logger(label: "ptn-serve")
        logger.logLevel = .error
        do {
            if let url = location.database {
                // The process ends after one read: the pool's connections close with it.
                return StoredUsage(store: try await PostgresUsageStore.open(try await PostgresDatabase.open(url, logger: logger)))
            }
            return try await SQLiteUsageStore.openExisting(stateDirectory: location.stateDirectory, logger: logger).map { StoredUsage(store: $0) }
        } catch {
            let place = location.database.map { "the database \($0)" } ?? "the usage database in the state folder"
            FileHandle.standardError.write(Data("ptn-serve: \(place) cannot be read\n".utf8))
            throw ExitCode(1)
        }
    }

    /// `alias`'s use of the current `period`.
    func used(alias: String, period: QuotaPeriod) async -> QuotaUsage {
        let start = Int64(period.start(containing: Date()).timeIntervalSince1970)
        return ((try? await store.totals(since: start)) ?? [:])[alias] ?? QuotaUsage()
    }
}
