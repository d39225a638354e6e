import HTTPTypes

extension HTTPField.Name {
    /// IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers).
    static let rateLimitLimit = HTTPField.Name("RateLimit-Limit")!
    static let rateLimitRemaining = HTTPField.Name("RateLimit-Remaining")!
    static let rateLimitReset = HTTPField.Name("RateLimit-Reset")!
}

extension HTTPFields {
    /// Adds `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` for `decision`.
    mutating func addRateLimitFields(_ decision: RateLimitDecision) {
        self[.rateLimitLimit] = String(decision.limit)
        self[.rateLimitRemaining] = String(decision.remaining)
        self[.rateLimitReset] = String(decision.resetSeconds)
    }
}
