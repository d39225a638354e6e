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

/// The usage store of a state folder as the commands read it (nil store: nothing recorded yet).
struct StoredUsage {
    let store: SQLiteUsageStore

    static func open(stateDirectory: URL) async throws -> StoredUsage? {
        var logger = Logger(label: "ptn-serve")
        logger.logLevel = .error
        do {
            return try await SQLiteUsageStore.openExisting(stateDirectory: stateDirectory, logger: logger).map(StoredUsage.init)
        } catch {
            FileHandle.standardError.write(Data("ptn-serve: the usage database in the state folder cannot be read\n".utf8))
            throw ExitCode(1)
        }
    }

    /// `alias`'s use of the current `period`.
    func used(alias: String, period: QuotaPeriod) async -> QuotaUsage {
        let start = Int64(period.start(containing: Date()).timeIntervalSince1970)
        return ((try? await store.totals(since: start)) ?? [:])[alias] ?? QuotaUsage()
    }
}
