/// Where replicas sharing a database lease their keys' quotas from, in chunks: the total leased of a key's period
/// never passes its quota, so together they never admit more.
protocol QuotaLedger: Sendable {
    /// Leases up to `want` more of `alias`'s `period` starting at `start` (seconds since 1970), never past `limit`
    /// in total; returns what was granted and the period's total leased after it.
    func lease(alias: String, period: QuotaPeriod, start: Int64, want: QuotaUsage, limit: QuotaUsage) async throws -> QuotaLease
}

/// What one lease granted, and what every replica together holds of the period after it.
struct QuotaLease: Sendable, Equatable {
    let granted: QuotaUsage
    let leased: QuotaUsage

    init(granted: QuotaUsage, leased: QuotaUsage) {
        self.granted = granted
        self.leased = leased
    }
}
