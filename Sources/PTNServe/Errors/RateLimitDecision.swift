/// The outcome of charging one request to a bucket, with what the IETF RateLimit header fields report.
public struct RateLimitDecision: Sendable, Equatable {
    /// Whether the request may proceed.
    public let allowed: Bool
    /// The bucket's size (`RateLimit-Limit`).
    public let limit: Int
    /// Whole tokens left after this request (`RateLimit-Remaining`).
    public let remaining: Int
    /// Seconds until the bucket is full again (`RateLimit-Reset`).
    public let resetSeconds: Int
    /// Seconds until one request would be allowed (`Retry-After`); 0 when allowed.
    public let retryAfterSeconds: Int
}
