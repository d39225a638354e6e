import Testing

@testable import PTNServe
@testable import PTNServeDemo

@Suite("PTN tier rule")
struct TierRuleTests {
    static let now: Int64 = 1_764_000_000_000
    static let threshold = now - TierRule.lagMs
    static let hour: Int64 = 3_600_000

    /// An order as PTN serializes it (fields the rule and the replay read, plus a marker).
    static func order(_ type: String, _ leverage: Double, _ price: Double, at ms: Int64) -> JSONValue {
        .object([
            ("order_type", .string(type)), ("leverage", .double(leverage)), ("price", .double(price)),
            ("processed_ms", .int(ms)), ("order_uuid", .string("order-\(ms)")), ("price_sources", .array([])),
        ])
    }

    /// A position whose derived fields come from the replay, open with close_ms 0 as in output.json.
    static func position(_ uuid: String, _ orders: [JSONValue]) -> JSONValue {
        let shell: JSONValue = .object([
            ("miner_hotkey", .string("5Demo")), ("position_uuid", .string(uuid)), ("open_ms", .int(0)),
            ("trade_pair", .array([.string("BTCUSD"), .string("BTC/USD"), .double(0.003), .double(0.01), .double(0.5)])),
            ("orders", .array([])), ("current_return", .double(1)), ("close_ms", .int(0)), ("net_leverage", .double(0)),
            ("return_at_close", .double(1)), ("average_entry_price", .double(0)), ("cumulative_entry_value", .double(0)),
            ("realized_pnl", .double(0)), ("position_type", .null), ("is_closed_position", .bool(false)),
        ])
        return PositionReplay.rebuild(shell, orders: orders, openCloseMs: .int(0))
    }

    // Buckets from Python: int(hashlib.sha256(u.encode()).hexdigest(), 16) % 100.
    @Test(arguments: [
        ("uuid-4", 14), ("uuid-0", 36), ("uuid-1", 52), ("uuid-7", 8), ("uuid-5", 78), ("", 49), ("é-ü", 83),
        ("6d6e2447-8b67-4bf9-82c1-547ddc971706", 2), ("ce872e03-8527-48f3-acad-26f2736a23e6", 52),
        ("0b1d9c7e-1111-4222-8333-444455556666", 65),
    ])
    func hashBucketMatchesPython(uuid: String, bucket: Int) {
        #expect(TierRule.hashBucket(uuid) == bucket)
        #expect(TierRule.isRealtime(positionUUID: uuid, tier: 100))
        #expect(!TierRule.isRealtime(positionUUID: uuid, tier: 0))
        #expect(TierRule.isRealtime(positionUUID: uuid, tier: 50) == (bucket < 50))
        #expect(TierRule.isRealtime(positionUUID: uuid, tier: 30) == (bucket < 30))
    }

    /// A miner map covering every case: stale closed/open, fresh closed/open, fresh-only, each tier bucket.
    static var miners: [(String, JSONValue)] {
        let old = now - 5 * 24 * hour
        let staleClosed = position("uuid-5", [order("LONG", 0.1, 100, at: old), order("FLAT", -0.1, 110, at: old + hour)])
        let staleOpen = position("uuid-1", [order("SHORT", -0.2, 100, at: old)])
        let freshClosed = position("uuid-0", [order("LONG", 0.1, 100, at: old), order("FLAT", -0.1, 120, at: now - hour)])
        let freshOpen = position("uuid-4", [order("LONG", 0.1, 100, at: old), order("LONG", 0.1, 140, at: now - 2 * hour)])
        let brandNew = position("uuid-7", [order("LONG", 0.3, 100, at: now - 3 * hour)])
        let atThreshold = position("uuid-9", [order("LONG", 0.1, 100, at: old), order("SHORT", -0.05, 90, at: threshold)])
        let miner: JSONValue = .object([
            ("positions", .array([staleClosed, freshClosed, staleOpen, freshOpen, brandNew, atThreshold])),
            ("thirty_day_returns", .double(1.01)), ("all_time_returns", .double(1.02)), ("n_positions", .int(2)),
            ("percentage_profitable", .double(1.0)),
        ])
        return [("5Demo", miner), ("5Other", miner.setting("positions", to: .array([staleClosed])))]
    }

    private func positions(_ view: [(String, JSONValue)], miner: Int = 0) -> [JSONValue] {
        view[miner].1["positions"]?.arrayValue ?? []
    }

    @Test func stalePositionsAreIdenticalInEveryTier() {
        let stale = positions(Self.miners).filter { !TierRule.isFresh($0, threshold: Self.threshold) }
        #expect(stale.count == 2)
        for tier in TierRule.tiers {
            let view = positions(TierViews.view(of: Self.miners, tier: tier, generationTimeMs: Self.now))
            for position in stale { #expect(view.contains(position), "tier \(tier) changed a stale position") }
        }
    }

    @Test func tierZeroLagsEveryFreshPosition() {
        let view = positions(TierViews.view(of: Self.miners, tier: 0, generationTimeMs: Self.now))
        let orders = view.flatMap { $0["orders"]?.arrayValue ?? [] }
        #expect(orders.allSatisfy { ($0["processed_ms"]?.int64Value ?? .max) < Self.threshold })
        #expect(view.count == 5, "the position opened in the last 24 h disappears")
        #expect(!view.contains { $0["position_uuid"] == .string("uuid-7") })
    }

    @Test func tierHundredOnlyAddsTheTierKey() {
        let view = TierViews.view(of: Self.miners, tier: 100, generationTimeMs: Self.now)
        for ((hotkey, original), (viewHotkey, viewed)) in zip(Self.miners, view) {
            #expect(hotkey == viewHotkey)
            #expect(viewed == .object((original.objectPairs ?? []) + [("tier", .int(100))]))
        }
    }

    @Test func realTimePositionsNest() {
        for (lower, higher) in [(30, 50), (50, 100)] {
            let lowerView = positions(TierViews.view(of: Self.miners, tier: lower, generationTimeMs: Self.now))
            let higherView = positions(TierViews.view(of: Self.miners, tier: higher, generationTimeMs: Self.now))
            let realTimeInLower = positions(Self.miners).filter { lowerView.contains($0) }
            #expect(realTimeInLower.allSatisfy { higherView.contains($0) })
        }
        let tier30 = positions(TierViews.view(of: Self.miners, tier: 30, generationTimeMs: Self.now))
        let tier50 = positions(TierViews.view(of: Self.miners, tier: 50, generationTimeMs: Self.now))
        let freshClosed = positions(Self.miners)[1]
        #expect(tier50.contains(freshClosed) && !tier30.contains(freshClosed), "uuid-0 (bucket 36) is real-time in 50 only")
    }

    @Test func cumulativeViewsEqualIndependentFiltering() {
        let cumulative = TierViews.cumulativeViews(of: Self.miners, generationTimeMs: Self.now)
        for tier in TierRule.tiers {
            let independent = TierViews.view(of: Self.miners, tier: tier, generationTimeMs: Self.now)
            #expect(JSONValue.object(cumulative[tier] ?? []) == .object(independent), "tier \(tier)")
        }
    }

    @Test func laggingReopensAPositionWhoseFlatWasDropped() throws {
        let freshClosed = positions(Self.miners)[1]
        let lagged = try #require(TierRule.lag(freshClosed, threshold: Self.threshold))
        #expect(lagged["close_ms"] == .null)
        #expect(lagged["is_closed_position"] == .bool(false))
        #expect(lagged["position_type"] == .string("LONG"))
        #expect(lagged["net_leverage"] == .double(0.1))
        #expect(lagged["orders"]?.arrayValue?.count == 1)
        #expect(lagged["current_return"] == .double(1.0), "no fresh market price: only the entry fill is known")
    }

    @Test func laggingDropsRecentOrdersAndEmptyPositions() throws {
        let all = positions(Self.miners)
        #expect(TierRule.lag(all[4], threshold: Self.threshold) == nil)
        let open = try #require(TierRule.lag(all[3], threshold: Self.threshold))
        #expect(open["orders"]?.arrayValue?.count == 1)
        #expect(open["average_entry_price"] == .double(100))
        #expect(open["net_leverage"] == .double(0.1))
        // An order exactly at the threshold is recent (the kept set is strictly older).
        let edge = try #require(TierRule.lag(all[5], threshold: Self.threshold))
        #expect(edge["orders"]?.arrayValue?.count == 1)
        #expect(TierRule.isFresh(all[5], threshold: Self.threshold))
    }

    @Test func lagIsIdempotent() throws {
        let lagged = try #require(TierRule.lag(positions(Self.miners)[3], threshold: Self.threshold))
        #expect(!TierRule.isFresh(lagged, threshold: Self.threshold))
        #expect(TierRule.lag(lagged, threshold: Self.threshold) == lagged)
    }
}
