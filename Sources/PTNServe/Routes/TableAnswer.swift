import Foundation
import Hummingbird

/// The answer to a read of a table route, decided synchronously over the current snapshots and keys: key → route's
/// answer → plan → rate bucket, errors rendered as JSON. Both lanes call it: Hummingbird's route handler (after reading
/// a key body, if any) and the fast lane on the event loop; so auth, tiers, limits, quotas, ETags, ranges and gzip
/// are decided by the same code whichever lane answers.
struct TableAnswer: Sendable {
    let keys: AtomicSnapshot<APIKeySet>
    let extractor: APIKeyExtractor
    /// Shared with the middlewares of the other keyed routes: one bucket per address and per key across all routes.
    let addressLimiter: RateLimiter
    let keyLimiter: RateLimiter
    let limits: RateLimitConfiguration
    let meter: UsageMeter
    /// This replica's share of the quotas when replicas share a database; nil on one server.
    let leases: QuotaLeases?
    let clock: @Sendable () -> Date

    /// What a request gets before any limit is charged: the route's answer is computed, but nothing is counted yet, so
    /// a lane that cannot write the answer can still hand the request on.
    enum Decision {
        /// No valid key (none, an unknown one, or an unreadable body): answered with this error.
        case keyless(Error)
        /// An accepted key and the route's answer to it.
        case keyed(KeyedAccess.Admitted, Result<PreparedResponse, Error>)
    }

    /// The decision for `request` presenting `presented` (the key, or the failure to read it), hashing the key through
    /// `memo` (the connection's, on the fast lane).
    func decide(
        _ request: Request, presented: Result<String?, Error>, parameters: Parameters, controller: TableRouteController,
        memo: inout KeyDigestMemo
    ) -> Decision {
        let key: String?
        switch presented {
        case .failure(let error): return .keyless(error)
        case .success(let found): key = found
        }
        guard let admitted = KeyedAccess.admitted(key, in: keys, memo: &memo) else { return .keyless(APIError.unauthorized) }
        return .keyed(admitted, Result { try controller.answer(request, client: admitted.client, captures: parameters) })
    }

    /// Whether the plan step of `decision` waits for a quota lease (replicas sharing a database): only Hummingbird's
    /// lane can wait.
    func needsLease(_ decision: Decision) -> Bool {
        guard case .keyed(let admitted, _) = decision else { return false }
        return KeyedAccess.needsLease(admitted.client, leases: leases)
    }

    /// The plan step for `decision`, taken at once; nil without a key or a plan. Only when `needsLease` is false.
    func localPlanStep(_ decision: Decision, request: Request) -> KeyedAccess.PlanStep? {
        guard case .keyed(let admitted, _) = decision else { return nil }
        return KeyedAccess.localPlanStep(for: admitted.client, route: request.uri.path, meter: meter, now: clock())
    }

    /// Charges the limits and returns the answer: the per-address limit for keyless requests; the plan (`step`), then
    /// the key's bucket, for keyed ones. A refused request is not charged to the bucket, as with the middlewares.
    func commit(_ decision: Decision, step: KeyedAccess.PlanStep?, request: Request, context: inout AppRequestContext) -> PreparedResponse {
        switch decision {
        case .keyless(let error):
            let failure = addressLimiter.chargeKeyless(error, request: request, context: context, configuration: limits)
            return rendered(failure, context)
        case .keyed(let admitted, let answer):
            let client = admitted.client
            KeyedAccess.admit(admitted, into: &context)
            guard let step else { return rated(client, answer, context) }
            var response = step.refusal.map { rendered($0, context) } ?? rated(client, answer, context)
            step.settle(client, leases: leases, headers: &response.headers, status: response.status, method: request.method, length: response.contentLength)
            return response
        }
    }

    /// Hummingbird's lane: the key (reading the body when no header carries one), then the decision.
    func respond(_ request: Request, context: AppRequestContext, controller: TableRouteController) async -> Response {
        var request = request
        var context = context
        let presented: Result<String?, Error>
        if let key = extractor.headerKey(request) {
            presented = .success(key)
        } else {
            do {
                let body = try await APIKeyExtractor.bodyKey(in: &request)
                presented = .success(body ?? extractor.queryKey(request))
            } catch {
                presented = .failure(error)
            }
        }
        var memo = KeyDigestMemo()
        let decision = decide(request, presented: presented, parameters: context.parameters, controller: controller, memo: &memo)
        let step: KeyedAccess.PlanStep?
        if case .keyed(let admitted, _) = decision {
            step = await KeyedAccess.planStep(for: admitted.client, route: request.uri.path, meter: meter, leases: leases, now: clock())
        } else {
            step = nil
        }
        return commit(decision, step: step, request: request, context: &context).response
    }

    /// The answer after the key's bucket is charged, with the RateLimit fields.
    private func rated(_ client: APIClient, _ answer: Result<PreparedResponse, Error>, _ context: AppRequestContext) -> PreparedResponse {
        let decision = keyLimiter.charge(client, configuration: limits)
        var response: PreparedResponse
        if !decision.allowed {
            response = rendered(APIError.rateLimited(decision), context)
        } else {
            switch answer {
            case .success(let answered): response = answered
            case .failure(let error): response = rendered(error, context)
            }
        }
        response.headers.addRateLimitFields(decision)
        return response
    }

    private func rendered(_ error: Error, _ context: AppRequestContext) -> PreparedResponse {
        JSONErrorMiddleware<AppRequestContext>.prepared(for: error, context: context)
    }
}
