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

    /// `client`'s quota standing at `now`, nil when it has no quota.
    static func standing(of client: APIClient, meter: UsageMeter, now: Date) -> QuotaStanding? {
        client.plan.quota.map { QuotaStanding(quota: $0, used: meter.usage(alias: client.alias, period: $0.period, at: now), now: now) }
    }
}
