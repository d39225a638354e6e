import Foundation
import HTTPTypes
import Hummingbird

/// The access checks of a keyed request, as synchronous steps: the key, the per-address charge for keyless failures,
/// the key's plan, the key's rate. The middlewares (for the routes Hummingbird alone answers) and `TableAnswer` (the
/// table routes, on both lanes) call these, so each rule is written once.
enum KeyedAccess {
    /// The client whose key is `key`, if that key is in force.
    static func client(for key: String?, in keys: AtomicSnapshot<APIKeySet>) -> APIClient? {
        guard let key else { return nil }
        return keys.value.client(for: key)
    }

    /// Records an accepted key's client in the request's context, for the routes, the error log and the request log.
    static func admit(_ client: APIClient, into context: inout AppRequestContext) {
        context.client = client
        context.observation.alias = client.alias
        context.logger[metadataKey: "client"] = .string(client.alias)
    }

    /// A failure before a valid key was known, charged to the client's address: the error to answer, which is 429
    /// once the address is over `--ip-rate-limit`.
    static func keylessFailure(
        _ error: Error, request: Request, context: AppRequestContext, limiter: RateLimiter, configuration: RateLimitConfiguration
    ) -> Error {
        let address = ClientAddress.of(request, context: context, trustProxy: configuration.trustProxy)
        let decision = limiter.take(address, rate: configuration.addressRate)
        return decision.allowed ? error : APIError.rateLimited(decision)
    }

    /// Charges an accepted key's request to its bucket.
    static func takeKeyRate(_ client: APIClient, limiter: RateLimiter, configuration: RateLimitConfiguration) -> RateLimitDecision {
        limiter.take(client.alias, rate: client.rate ?? configuration.keyRate)
    }

    /// Where a request stands against its key's plan, taken before it is answered; nil for a key without a plan.
    struct PlanStep {
        /// The key's quota standing, nil without a quota.
        let standing: QuotaStanding?
        /// Why the plan refuses the request, nil when admitted.
        let refusal: APIError?
    }

    /// The plan's verdict on `client` using `route` (a request path) at `now`; nil for an unlimited key.
    static func planStep(for client: APIClient, route: String, meter: UsageMeter, now: Date) -> PlanStep? {
        guard !client.plan.isUnlimited else { return nil }
        let standing = PlanCheck.standing(of: client, meter: meter, now: now)
        return PlanStep(standing: standing, refusal: PlanCheck.refusal(for: client, route: route, standing: standing, now: now))
    }

    /// The quota fields on an answer to a key with a quota. A 429 is not counted against the request quota; a HEAD's
    /// body is not counted against the byte quota.
    static func addQuotaFields(_ step: PlanStep, to headers: inout HTTPFields, status: HTTPResponse.Status, method: HTTPRequest.Method, length: Int) {
        guard let standing = step.standing else { return }
        let counted: Int64 = status == .tooManyRequests ? 0 : 1
        headers.addQuotaFields(standing, requests: counted, bytes: method == .head ? 0 : Int64(length))
    }
}
