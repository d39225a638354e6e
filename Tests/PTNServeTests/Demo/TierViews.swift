@testable import PTNServeDemo

/// Builds the tiered `output.json` views (spec §4.3, §5) from the real-time miner map.
enum TierViews {
    /// One tier's view: every miner keeps its aggregates and order, positions pass `TierRule.view`, `"tier"` goes last.
    static func view(of miners: [(String, JSONValue)], tier: Int, generationTimeMs: Int64) -> [(String, JSONValue)] {
        let threshold = generationTimeMs - TierRule.lagMs
        return miners.map { hotkey, miner in
            let positions = (miner["positions"]?.arrayValue ?? []).compactMap {
                TierRule.view(of: $0, tier: tier, threshold: threshold)
            }
            return (hotkey, miner.setting("positions", to: .array(positions)).setting("tier", to: .int(Int64(tier))))
        }
    }

    /// All four views computed the way PTN does: one dict mutated tier after tier (100, 50, 30, 0).
    static func cumulativeViews(of miners: [(String, JSONValue)], generationTimeMs: Int64) -> [Int: [(String, JSONValue)]] {
        var current = miners
        var views: [Int: [(String, JSONValue)]] = [:]
        for tier in TierRule.tiers {
            current = view(of: current, tier: tier, generationTimeMs: generationTimeMs)
            views[tier] = current
        }
        return views
    }
}
