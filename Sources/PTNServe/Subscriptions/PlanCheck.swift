import Foundation

/// The one decision of a key's plan, shared by the HTTP routes and the WebSocket port: expired, out of scope, over
/// quota, or admitted.
struct PlanCheck {
    /// Paths every unexpired key may use whatever its scope and quota: its own usage, and the explorer's key check.
    static let alwaysAllowed: Set<String> = ["/usage", "/ui/key"]

    /// The refusal for `client` using `route` (a request path, or `ws`) at `now`, or nil when admitted.
    static func refusal(for client: APIClient, route: String, standing: QuotaStanding?, now: Date) -> APIError? {
        let plan = client.plan
        if plan.isExpired(at: now) { return .keyExpired }
        if alwaysAllowed.contains(route) { return nil }
        if let scope = plan.routes, !scope.allows(route) { return .outOfScope(route) }
        if let refusal = standing?.refusal { return .quotaExceeded(refusal) }
        return nil
    }

    /// What a request of `client` on `route` is judged by: the standing (this server's meter; on replicas sharing a
    /// database, this replica's leased share, taking one request of it when admitted), the refusal if any, and the
    /// quota whose lease the answer settles (`QuotaLeases.settle`), nil when none was taken.
    static func admission(
        of client: APIClient, route: String, meter: UsageMeter, leases: QuotaLeases?, now: Date
    ) async -> (standing: QuotaStanding?, refusal: APIError?, leased: KeyQuota?) {
        var standing = standing(of: client, meter: meter, now: now)
        var leased: KeyQuota?
        // A request the plan refuses anyway (expired, out of scope) takes nothing of the share.
        if let leases, let quota = client.plan.quota, !alwaysAllowed.contains(route), refusal(for: client, route: route, standing: nil, now: now) == nil,
            let share = await leases.take(alias: client.alias, quota: quota, now: now)
        {
            standing = share.standing
            if share.admitted { leased = quota }
        }
        return (standing, refusal(for: client, route: route, standing: standing, now: now), leased)
    }

    /// `client`'s quota standing at `now`, nil when it has no quota.
    static func standing(of client: APIClient, meter: UsageMeter, now: Date) -> QuotaStanding? {
        client.plan.quota.map { QuotaStanding(quota: $0, used: meter.usage(alias: client.alias, period: $0.period, at: now), now: now) }
    }
}
