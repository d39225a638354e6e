import Foundation
import HTTPTypes

/// A keyed request's plan, as steps around its answer: where it stands before (`planStep`, or `localPlanStep` without
/// waiting), and what the answer settles after (`PlanStep.settle`). `PlanMiddleware` and `TableAnswer` (both lanes)
/// take them.
extension KeyedAccess {
    /// Where a request stands against its key's plan, taken before it is answered; nil for a key without a plan.
    struct PlanStep {
        /// The key's quota standing, nil without a quota.
        let standing: QuotaStanding?
        /// Why the plan refuses the request, nil when admitted.
        let refusal: APIError?
        /// The quota whose lease (replicas sharing a database) the answer settles; nil when none was taken.
        let leased: KeyQuota?
        /// When the step was taken: the period the lease is settled in.
        let now: Date

        /// Once answered: settles the lease taken, if any, and adds the quota fields. A 429 is not counted against the
        /// request quota; a HEAD's body is not counted against the byte quota.
        func settle(
            _ client: APIClient, leases: QuotaLeases?, headers: inout HTTPFields, status: HTTPResponse.Status, method: HTTPRequest.Method,
            length: Int
        ) {
            let counted: Int64 = status == .tooManyRequests ? 0 : 1
            let bytes = method == .head ? 0 : Int64(length)
            if let leased { leases?.settle(alias: client.alias, quota: leased, at: now, bytes: bytes, counted: counted == 1) }
            if let standing { headers.addQuotaFields(standing, requests: counted, bytes: bytes) }
        }
    }

    /// The plan's verdict on `client` using `route` (a request path) at `now`; nil for an unlimited key. On replicas
    /// (`leases`), a key with a quota waits for this replica's share of it.
    static func planStep(for client: APIClient, route: String, meter: UsageMeter, leases: QuotaLeases?, now: Date) async -> PlanStep? {
        guard !client.plan.isUnlimited else { return nil }
        let (standing, refusal, leased) = await PlanCheck.admission(of: client, route: route, meter: meter, leases: leases, now: now)
        return PlanStep(standing: standing, refusal: refusal, leased: leased, now: now)
    }

    /// The same verdict without waiting, judged by this server's meter: for a server whose quotas are its own, or a key
    /// without a quota (`needsLease` false).
    static func localPlanStep(for client: APIClient, route: String, meter: UsageMeter, now: Date) -> PlanStep? {
        guard !client.plan.isUnlimited else { return nil }
        let standing = PlanCheck.standing(of: client, meter: meter, now: now)
        return PlanStep(standing: standing, refusal: PlanCheck.refusal(for: client, route: route, standing: standing, now: now), leased: nil, now: now)
    }

    /// Whether `client`'s plan step must wait for a lease (`planStep`) rather than be taken at once (`localPlanStep`).
    static func needsLease(_ client: APIClient, leases: QuotaLeases?) -> Bool {
        leases != nil && client.plan.quota != nil
    }
}
