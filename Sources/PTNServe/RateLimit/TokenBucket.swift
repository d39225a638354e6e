/// One client's token bucket: `count` tokens of burst, refilled continuously at the rate's pace.
struct TokenBucket: Sendable {
    private(set) var tokens: Double
    private(set) var updatedNanos: UInt64

    init(rate: RateSpec, now: UInt64) {
        self.tokens = Double(rate.count)
        self.updatedNanos = now
    }

    /// Refills for the time elapsed, then takes one token if there is one.
    mutating func take(rate: RateSpec, now: UInt64) -> RateLimitDecision {
        refill(rate: rate, now: now)
        let allowed = tokens >= 1
        if allowed { tokens -= 1 }
        let missing = Double(rate.count) - tokens
        let reset = Int((missing / rate.perSecond).rounded(.up))
        let retryAfter = allowed ? 0 : max(1, Int(((1 - tokens) / rate.perSecond).rounded(.up)))
        return RateLimitDecision(
            allowed: allowed,
            limit: rate.count,
            remaining: max(0, Int(tokens.rounded(.down))),
            resetSeconds: reset,
            retryAfterSeconds: retryAfter
        )
    }

    /// Whether an unused bucket is full again: forgetting it then changes nothing, which is what lets idle buckets expire.
    func isFull(rate: RateSpec, now: UInt64) -> Bool {
        var copy = self
        copy.refill(rate: rate, now: now)
        return copy.tokens >= Double(rate.count)
    }

    private mutating func refill(rate: RateSpec, now: UInt64) {
        let elapsed = now > updatedNanos ? Double(now - updatedNanos) / 1e9 : 0
        // A lowered rate (key file edit) clamps the burst at once.
        tokens = min(Double(rate.count), tokens + elapsed * rate.perSecond)
        updatedNanos = now
    }
}
