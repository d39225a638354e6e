/// The `scores` / `augmented_scores` tables of the statistics file: per asset class and overall, ranked across miners.
enum ScoreTables {
    static let metrics = ["omega", "sharpe", "sortino", "statistical_confidence", "calmar", "return", "pnl"]
    static let subcategories = ["crypto", "overall"]

    /// One table per miner; `scale` < 1 gives the augmented variant (PTN applies penalties there).
    static func tables(seed: UInt64, hotkeys: [String], returns: [Double], scale: Double) -> [JSONValue] {
        var columns: [String: [JSONValue]] = [:]
        for subcategory in subcategories {
            for metric in metrics {
                let values = zip(hotkeys, returns).map { hotkey, totalReturn in
                    var random = SplitMix64(seed: DemoDigest.subSeed(seed: seed, label: "score/\(hotkey)/\(subcategory)/\(metric)"))
                    // Anchored on the miner's return so metrics broadly agree with each other, plus some noise.
                    let value = (totalReturn - 1) * 40 + random.uniform(-0.5...0.5)
                    return MinerVariation.round(value * scale, places: 6)
                }
                let weight = 1.0 / Double(metrics.count)
                columns["\(subcategory)/\(metric)"] = Ranking.rankedObjects(values).map { ranked in
                    let percentile = ranked["percentile"]?.doubleValue ?? 0
                    return ranked.setting("overall_contribution", to: .double(MinerVariation.round(percentile * weight, places: 6)))
                }
            }
        }
        return hotkeys.indices.map { index in
            .object(subcategories.map { subcategory in
                (subcategory, .object(metrics.map { ($0, columns["\(subcategory)/\($0)"]![index]) }))
            })
        }
    }
}
