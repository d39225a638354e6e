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
    let clock: @Sendable () -> Date

    /// What a request gets before any limit is charged: the route's answer is computed, but nothing is counted yet, so
    /// a lane that cannot write the answer can still hand the request on.
    enum Decision {
        /// No valid key (none, an unknown one, or an unreadable body): answered with this error.
        case keyless(Error)
        /// An accepted key and the route's answer to it.
        case keyed(APIClient, Result<PreparedResponse, Error>)
    }

    /// The decision for `request` presenting `presented` (the key, or the failure to read it).
    func decide(
        _ request: Request, presented: Result<String?, Error>, parameters: Parameters, controller: TableRouteController
    ) -> Decision {
        let key: String?
        switch presented {
        case .failure(let error): return .keyless(error)
        case .success(let found): key = found
        }
        guard let client = KeyedAccess.client(for: key, in: keys) else { return .keyless(APIError.unauthorized) }
        return .keyed(client, Result { try controller.answer(request, client: client, captures: parameters) })
    }

    /// Charges the limits and returns the answer: the per-address limit for keyless requests; the plan, then the key's
    /// bucket, for keyed ones. A refused request is not charged to the bucket, as with the middlewares.
    func commit(_ decision: Decision, request: Request, context: inout AppRequestContext) -> PreparedResponse {
        switch decision {
        case .keyless(let error):
            let failure = KeyedAccess.keylessFailure(error, request: request, context: context, limiter: addressLimiter, configuration: limits)
            return rendered(failure, context)
        case .keyed(let client, let answer):
            KeyedAccess.admit(client, into: &context)
            guard let step = KeyedAccess.planStep(for: client, route: request.uri.path, meter: meter, now: clock()) else {
                return rated(client, answer, context)
            }
            var response = step.refusal.map { rendered($0, context) } ?? rated(client, answer, context)
            KeyedAccess.addQuotaFields(step, to: &response.headers, status: response.status, method: request.method, length: response.contentLength)
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
        let decision = decide(request, presented: presented, parameters: context.parameters, controller: controller)
        return commit(decision, request: request, context: &context).response
    }

    /// The answer after the key's bucket is charged, with the RateLimit fields.
    private func rated(_ client: APIClient, _ answer: Result<PreparedResponse, Error>, _ context: AppRequestContext) -> PreparedResponse {
        let decision = KeyedAccess.takeKeyRate(client, limiter: keyLimiter, configuration: limits)
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
