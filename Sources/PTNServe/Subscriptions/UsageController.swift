import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /usage`: the calling key's own usage and what is left of its quota, read from the store plus the rows not yet
/// written (on replicas, the quota's use too: every replica's rows). Behind the key check; scope and quota never refuse it (an expired key is refused).
struct UsageController: Sendable {
    let subscriptions: Subscriptions

    /// The paths, for the 405 answers; a route file may not use them (`ServerPaths.reserved`).
    static let paths = ["usage"]

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("usage", use: usage)
    }

    @Sendable func usage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let client = try context.requireClient()
        let now = Date()
        let since = UsageMeter.hourStart(now) - Int64(UsageStatement.days) * 86_400
        let rows: [UsageRow]
        do {
            rows = try await subscriptions.rows(alias: client.alias, since: since)
        } catch {
            context.logger.error("usage store unreadable", metadata: ["type": "\(type(of: error))"])
            throw APIError.internalError
        }
        let standing = subscriptions.leases == nil ? PlanCheck.standing(of: client, meter: subscriptions.meter, now: now) : Self.standing(client, rows: rows, now: now)
        let object = UsageStatement.object(client: client, rows: rows, standing: standing, now: now)
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return .noStoreJSON(ByteBuffer(bytes: data))
    }

    /// On replicas sharing a database: the quota's use from every replica's rows (each at most a flush behind), where
    /// this replica's meter holds only its own. The rows reach back further than any period.
    static func standing(_ client: APIClient, rows: [UsageRow], now: Date) -> QuotaStanding? {
        client.plan.quota.map { quota in
            let start = Int64(quota.period.start(containing: now).timeIntervalSince1970)
            let used = rows.filter { $0.hourStart >= start }.reduce(QuotaUsage()) { $0 + $1.quotaUsage }
            return QuotaStanding(quota: quota, used: used, now: now)
        }
    }
}
