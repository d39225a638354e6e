import Hummingbird

/// The two charges of a request to the limits, shared by the middlewares and `TableAnswer` (both lanes).
extension RateLimiter {
    /// A failure before a valid key was known, charged to the client's address: the error to answer, which is 429
    /// once the address is over `--ip-rate-limit`.
    func chargeKeyless(_ error: Error, request: Request, context: AppRequestContext, configuration: RateLimitConfiguration) -> Error {
        let address = ClientAddress.of(request, context: context, trustProxy: configuration.trustProxy)
        let decision = take(address, rate: configuration.addressRate)
        return decision.allowed ? error : APIError.rateLimited(decision)
    }

    /// Charges an accepted key's request to its bucket.
    func charge(_ client: APIClient, configuration: RateLimitConfiguration) -> RateLimitDecision {
        take(client.alias, rate: client.rate ?? configuration.keyRate)
    }
}
