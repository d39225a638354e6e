/// Fixed latency buckets for the console's per-minute percentiles: a request costs one bucket increment, a minute
/// 16 counters, and p50/p99 are read as the upper bound of the bucket that holds them.
enum LatencyHistogram {
    /// Upper bounds in milliseconds; the last bucket holds everything slower than the one before it.
    static let upperBoundsMilliseconds: [Double] = [
        0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, .infinity,
    ]
    /// Number of buckets.
    static let count = upperBoundsMilliseconds.count

    /// The bucket of a latency.
    static func bucket(milliseconds: Double) -> Int {
        var index = 0
        while index < count - 1, milliseconds > upperBoundsMilliseconds[index] { index += 1 }
        return index
    }

    /// The upper bound of the bucket holding quantile `q` of `counts` (the slowest finite bound for the last bucket),
    /// nil without samples.
    static func quantile(_ q: Double, counts: some Collection<Int>) -> Double? {
        let total = counts.reduce(0, +)
        guard total > 0 else { return nil }
        let rank = max(1, Int((Double(total) * q).rounded(.up)))
        var seen = 0
        let slowestFinite = upperBoundsMilliseconds[Self.count - 2]
        for (index, inBucket) in counts.enumerated() {
            seen += inBucket
            if seen >= rank { return min(upperBoundsMilliseconds[index], slowestFinite) }
        }
        return slowestFinite
    }
}
