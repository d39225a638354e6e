import Hummingbird

/// Counts requests that fail before a valid key is known (no key, wrong key, unreadable body) against the client's
/// address, and answers 429 once it is over `--ip-rate-limit`: key guessing slows down, keyed clients are untouched.
///
/// Sits in front of `APIKeyMiddleware`; `KeyRateLimitMiddleware` renders every error after a key was accepted, so any
/// error reaching this middleware belongs to a keyless request.
struct AddressRateLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let limiter: RateLimiter
    let configuration: RateLimitConfiguration

    init(limiter: RateLimiter, configuration: RateLimitConfiguration) {
        self.limiter = limiter
        self.configuration = configuration
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            throw limiter.chargeKeyless(error, request: request, context: context, configuration: configuration)
        }
    }
}
