import Crypto

/// PTN's per-position tier rule: which fresh positions a tier shows in real time and how the rest are lagged.
enum TierRule {
    /// PTN's `AUTO_SYNC_ORDER_LAG_MS`: lagged tiers hide the last 24 hours.
    static let lagMs: Int64 = 86_400_000
    /// The tiers PTN writes, in the order it processes them.
    static let tiers = [100, 50, 30, 0]

    /// `T == 100 || (T > 0 && int(sha256(uuid).hexdigest(), 16) % 100 < T)`, as PTN computes it.
    static func isRealtime(positionUUID: String, tier: Int) -> Bool {
        if tier >= 100 { return true }
        guard tier > 0 else { return false }
        return hashBucket(positionUUID) < tier
    }

    /// The SHA-256 of the UTF-8 uuid read as a big-endian integer, mod 100 (folded byte by byte to avoid bignums).
    static func hashBucket(_ positionUUID: String) -> Int {
        SHA256.hash(data: Array(positionUUID.utf8)).reduce(0) { ($0 * 256 + Int($1)) % 100 }
    }

    /// A closed position that closed at or after `threshold`, or an open one whose newest order is at or after it.
    static func isFresh(_ position: JSONValue, threshold: Int64) -> Bool {
        if position["is_closed_position"]?.boolValue == true {
            return (position["close_ms"]?.int64Value ?? 0) >= threshold
        }
        guard let lastOrder = position["orders"]?.arrayValue?.last else { return false }
        return (lastOrder["processed_ms"]?.int64Value ?? 0) >= threshold
    }

    /// The position as tier `tier` shows it at `threshold` (= generation time − 24 h); nil when the tier hides it entirely.
    static func view(of position: JSONValue, tier: Int, threshold: Int64) -> JSONValue? {
        isLagged(position, tier: tier, threshold: threshold) ? lag(position, threshold: threshold) : position
    }

    /// Whether tier `tier` shows a 24-hour-old view of the position instead of the position itself.
    static func isLagged(_ position: JSONValue, tier: Int, threshold: Int64) -> Bool {
        isFresh(position, threshold: threshold) && !isRealtime(positionUUID: position["position_uuid"]?.stringValue ?? "", tier: tier)
    }

    /// Keeps orders strictly older than `threshold` and replays them; nil when no order remains.
    static func lag(_ position: JSONValue, threshold: Int64) -> JSONValue? {
        let orders = position["orders"]?.arrayValue ?? []
        let kept = orders.filter { ($0["processed_ms"]?.int64Value ?? 0) < threshold }
        guard !kept.isEmpty else { return nil }
        // PTN rebuilds the position model, whose close_ms is None (JSON null) while it is open.
        return PositionReplay.rebuild(position, orders: kept, openCloseMs: .null)
    }
}
