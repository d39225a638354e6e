import Foundation
import Hummingbird

/// Enforces each key's plan: 403 once expired or outside its routes, 429 once a quota is used up (with `Retry-After`
/// to the next period), and the IETF `RateLimit-Policy` and `RateLimit` fields on every answer to a key with a quota.
///
/// Sits between `APIKeyMiddleware` and `KeyRateLimitMiddleware`: a refused request is not charged to the rate limit,
/// and every error is rendered here or inside, so none reaches the per-address limit. Counting is the request log's
/// (`UsageMeter.record`), once the answer is known.
struct PlanMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let meter: UsageMeter
    /// This replica's share of the quotas when replicas share a database; nil on one server.
    let leases: QuotaLeases?
    let clock: @Sendable () -> Date

    init(meter: UsageMeter, leases: QuotaLeases? = nil, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.meter = meter
        self.leases = leases
        self.clock = clock
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let client = try context.requireClient()
        guard let step = await KeyedAccess.planStep(for: client, route: request.uri.path, meter: meter, leases: leases, now: clock()) else {
            return try await next(request, context)
        }
        var response: Response
        if let refusal = step.refusal {
            response = try JSONErrorMiddleware<Context>.response(for: refusal, request: request, context: context)
        } else {
            do {
                response = try await next(request, context)
            } catch {
                response = try JSONErrorMiddleware<Context>.response(for: error, request: request, context: context)
            }
        }
        let length = response.body.contentLength ?? 0
        step.settle(client, leases: leases, headers: &response.headers, status: response.status, method: request.method, length: length)
        return response
    }
}
