import Foundation
import Logging
import Synchronization

/// A replica's share of its keys' quotas when several replicas serve one service: it admits a request only while it
/// holds a request (and a byte) of the key's current period, leasing another chunk from the shared `QuotaLedger` when
/// it holds none. The replicas together never admit more than the quota (bytes: the last answer admitted may pass
/// it, as on one server); they may admit less by at most the chunks still held when the period ends.
final class QuotaLeases: Sendable {
    let ledger: any QuotaLedger
    let logger: Logger

    private struct Key: Hashable {
        let alias: String
        let period: QuotaPeriod
        let start: Int64
    }

    /// What this replica holds of one key's period, and the period's total leased as last seen.
    private struct Holding {
        var held = QuotaUsage()
        var leased = QuotaUsage()
    }

    private let holdings = Mutex([Key: Holding]())
    /// Until when the ledger is not asked again after it could not be reached: meanwhile every request falls back to
    /// the replica's own count at once, instead of each waiting for the ledger's deadline and logging it again.
    private let unreachableUntil = Mutex<ContinuousClock.Instant?>(nil)
    let retryAfter: Duration

    init(ledger: any QuotaLedger, logger: Logger, retryAfter: Duration = .seconds(5)) {
        self.ledger = ledger
        self.logger = logger
        self.retryAfter = retryAfter
    }

    /// The chunk leased at once: a twentieth of the quota, at most 1,000 requests or 64 MiB, at least 1.
    static func chunk(of limit: Int64?, cap: Int64) -> Int64 {
        limit.map { max(1, min($0 / 20, cap)) } ?? 0
    }

    /// Takes one request of `alias`'s `quota` at `now`, leasing first if this replica holds none (or no byte).
    /// Returns the standing before this request (used: what the replicas leased less what this one still holds)
    /// and whether it was admitted; nil when the ledger cannot be reached (the caller falls back to its own count).
    /// With `request` false (an open stream's next frame) it takes no request: it only makes sure a byte is held.
    func take(alias: String, quota: KeyQuota, now: Date, request: Bool = true) async -> (standing: QuotaStanding, admitted: Bool)? {
        let key = Key(alias: alias, period: quota.period, start: Int64(quota.period.start(containing: now).timeIntervalSince1970))
        let holding = holdings.withLock { $0[key] ?? Holding() }
        let want = QuotaUsage(
            requests: request && quota.requests != nil && holding.held.requests < 1 ? Self.chunk(of: quota.requests, cap: 1_000) : 0,
            // A byte debt (the last answer passed what was held) is leased back first.
            bytes: quota.bytes != nil && holding.held.bytes <= 0 ? Self.chunk(of: quota.bytes, cap: 64 << 20) - holding.held.bytes : 0
        )
        if want.requests > 0 || want.bytes > 0 {
            if let until = unreachableUntil.withLock({ $0 }), ContinuousClock.now < until { return nil }
            let limit = QuotaUsage(requests: quota.requests ?? .max, bytes: quota.bytes ?? .max)
            do {
                let lease = try await ledger.lease(alias: alias, period: quota.period, start: key.start, want: want, limit: limit)
                holdings.withLock { holdings in
                    if holdings[key] == nil {
                        // A new period of this key: what is held of the ended one is of no more use.
                        holdings = holdings.filter { $0.key.alias != alias || $0.key.period != quota.period }
                    }
                    var holding = holdings[key] ?? Holding()
                    holding.held = holding.held + lease.granted
                    holding.leased = QuotaUsage(requests: max(holding.leased.requests, lease.leased.requests), bytes: max(holding.leased.bytes, lease.leased.bytes))
                    holdings[key] = holding
                }
                unreachableUntil.withLock { $0 = nil }
            } catch {
                unreachableUntil.withLock { [retryAfter] in $0 = .now + retryAfter }
                logger.warning(
                    "quota ledger unreachable; quotas are checked against this replica's own count until it is asked again",
                    metadata: ["type": "\(type(of: error))", "retry_after": "\(retryAfter)"]
                )
                return nil
            }
        }
        return holdings.withLock { holdings in
            var holding = holdings[key] ?? Holding()
            let used = QuotaUsage(requests: holding.leased.requests - holding.held.requests, bytes: holding.leased.bytes - holding.held.bytes)
            let standing = QuotaStanding(quota: quota, used: Self.exhausted(used, holding.held, quota, request: request), now: now)
            let admitted = (!request || quota.requests == nil || holding.held.requests >= 1) && (quota.bytes == nil || holding.held.bytes > 0)
            if admitted, request, quota.requests != nil { holding.held.requests -= 1 }
            holdings[key] = holding
            return (standing, admitted)
        }
    }

    /// Settles one answer taken with `take`: its body `bytes`, and the request given back when it was not counted
    /// (a 429 of the rate limit).
    func settle(alias: String, quota: KeyQuota, at now: Date, bytes: Int64, counted: Bool) {
        let key = Key(alias: alias, period: quota.period, start: Int64(quota.period.start(containing: now).timeIntervalSince1970))
        holdings.withLock { holdings in
            guard var holding = holdings[key] else { return }
            if quota.bytes != nil { holding.held.bytes -= bytes }
            if !counted, quota.requests != nil { holding.held.requests += 1 }
            holdings[key] = holding
        }
    }

    /// What the standing shows as used: once nothing more can be leased and nothing is held, the whole quota, so the
    /// refusal names it (the request quota only when a request was asked for).
    private static func exhausted(_ used: QuotaUsage, _ held: QuotaUsage, _ quota: KeyQuota, request: Bool) -> QuotaUsage {
        var used = used
        if request, let requests = quota.requests, held.requests < 1 { used.requests = max(used.requests, requests) }
        if let bytes = quota.bytes, held.bytes <= 0 { used.bytes = max(used.bytes, bytes) }
        return used
    }
}
