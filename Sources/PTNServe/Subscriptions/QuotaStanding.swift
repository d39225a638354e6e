import Foundation

/// Where a key stands against its quota at one moment: what it used of the current period and when that refills.
package struct QuotaStanding: Sendable, Equatable {
    package let quota: KeyQuota
    package let used: QuotaUsage
    /// The next period's start.
    package let refillsAt: Date
    /// Whole seconds until `refillsAt` (at least 1).
    package let secondsToRefill: Int

    package init(quota: KeyQuota, used: QuotaUsage, now: Date) {
        self.quota = quota
        self.used = used
        self.refillsAt = quota.period.end(containing: now)
        self.secondsToRefill = max(1, Int(refillsAt.timeIntervalSince(now).rounded(.up)))
    }

    /// Requests left after `extra` more, never below 0.
    package func remainingRequests(after extra: Int64 = 0) -> Int64? {
        quota.requests.map { max(0, $0 - used.requests - extra) }
    }

    /// Bytes left after `extra` more, never below 0.
    package func remainingBytes(after extra: Int64 = 0) -> Int64? {
        quota.bytes.map { max(0, $0 - used.bytes - extra) }
    }

    /// The refusal when a quota is used up: which one, and when it refills.
    package var refusal: QuotaRefusal? {
        let which: String
        if let requests = quota.requests, used.requests >= requests {
            which = "request quota of \(requests) requests"
        } else if let bytes = quota.bytes, used.bytes >= bytes {
            which = "byte quota of \(ByteCount.text(bytes))"
        } else {
            return nil
        }
        return QuotaRefusal(
            message: "\(quota.period.adjective) \(which) used up; it refills at \(KeyPlan.timeText(refillsAt))",
            retryAfterSeconds: secondsToRefill
        )
    }
}
