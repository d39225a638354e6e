/// The outcome of charging one request to a bucket, with what the IETF RateLimit header fields report.
struct RateLimitDecision: Sendable, Equatable {
    /// Whether the request may proceed.
    let allowed: Bool
    /// The bucket's size (`RateLimit-Limit`).
    let limit: Int
    /// Whole tokens left after this request (`RateLimit-Remaining`).
    let remaining: Int
    /// Seconds until the bucket is full again (`RateLimit-Reset`).
    let resetSeconds: Int
    /// Seconds until one request would be allowed (`Retry-After`); 0 when allowed.
    let retryAfterSeconds: Int
}
