import Hummingbird

/// Charges each authenticated request to its key's bucket (by alias): 429 when empty, RateLimit fields on every answer.
struct KeyRateLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let limiter: RateLimiter
    let configuration: RateLimitConfiguration

    init(limiter: RateLimiter, configuration: RateLimitConfiguration) {
        self.limiter = limiter
        self.configuration = configuration
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let client = try context.requireClient()
        let decision = limiter.charge(client, configuration: configuration)
        var response: Response
        do {
            guard decision.allowed else { throw APIError.rateLimited(decision) }
            response = try await next(request, context)
        } catch {
            // Every answer to a keyed request, its own 429 included, is rendered here: an error escaping would reach
            // AddressRateLimitMiddleware and be charged to the client's address. Rendering stays JSONErrorMiddleware's job.
            response = try JSONErrorMiddleware<Context>.response(for: error, request: request, context: context)
        }
        response.headers.addRateLimitFields(decision)
        return response
    }
}
