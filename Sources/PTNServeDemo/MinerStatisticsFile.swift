/// Builds `runnable/minerstatistics.json` for the non-eliminated miners.
struct MinerStatisticsFile {
    let profiles: [MinerProfile]
    let options: DemoDataSet.Options

    func json() -> JSONValue {
        let hotkeys = profiles.map(\.hotkey)
        let totals = profiles.map { $0.miner.entry["all_time_returns"]?.doubleValue ?? 1 }
        // The weight follows the thirty-day return, so the ranking matches the output.json order.
        let weights = profiles.map { MinerVariation.round(max(0, $0.miner.thirtyDayReturns - 0.9) / 2, places: 6) }
        let weightObjects = Ranking.rankedObjects(weights)
        let pnls = profiles.map { profile in
            MinerVariation.round(profile.miner.positions.reduce(0) { $0 + ($1["realized_pnl"]?.doubleValue ?? 0) }, places: 6)
        }
        let pnlObjects = Ranking.rankedObjects(pnls)
        let collaterals = profiles.map { $0.accountSizes.last?["account_size"]?.doubleValue ?? 0 }
        let collateralObjects = Ranking.rankedObjects(collaterals)
        let classObjects = Ranking.rankedObjects(totals)
        let scores = ScoreTables.tables(seed: options.seed, hotkeys: hotkeys, returns: totals, scale: 1)
        let augmented = ScoreTables.tables(seed: options.seed, hotkeys: hotkeys, returns: totals, scale: 0.95)
        let elements = profiles.indices.map { index -> JSONValue in
            let profile = profiles[index]
            return .object([
                ("hotkey", .string(profile.hotkey)),
                ("challengeperiod", profile.challengePeriod(generationTimeMs: options.generationTimeMs)),
                ("scores", scores[index]),
                ("augmented_scores", augmented[index]),
                ("daily_returns", .array(profile.ledger.dailyReturns.map { .object([("date", .string($0.date)), ("value", .double($0.percent))]) })),
                ("volatility", volatility(profile.ledger)),
                ("drawdowns", drawdowns(profile.ledger)),
                ("plagiarism", .null),
                ("engagement", engagement(profile)),
                ("risk_profile", .object([("risk_profile_score", .double(0.0)), ("risk_profile_penalty", .double(1.0))])),
                ("asset_class_performance", .object([("crypto", renamed(classObjects[index], valueKey: "score"))])),
                ("pnl_info", .object([("raw_pnl", pnlObjects[index])])),
                ("account_size_info", .object([
                    ("account_size_statistics", collateralObjects[index].setting("account_sizes", to: .array(profile.accountSizes))),
                ])),
                ("penalties", .object([("drawdown_threshold", .double(1.0)), ("risk_profile", .double(1.0)), ("total", .double(1.0))])),
                ("weight", weightObjects[index]),
                ("checkpoints", .array(profile.ledger.checkpoints)),
            ])
        }
        let byRank = elements.sorted { ($0["weight"]?["rank"]?.int64Value ?? 0) < ($1["weight"]?["rank"]?.int64Value ?? 0) }
        return .object([
            ("version", .string(DemoDataSet.subnetVersion)),
            ("created_timestamp_ms", .int(options.generationTimeMs)),
            ("created_date", .string(UTCDateFormat.dateTime(options.generationTimeMs))),
            ("data", .array(byRank)),
            ("constants", StatisticsConstants.constants),
            ("network_data", StatisticsConstants.networkData),
        ])
    }

    private func volatility(_ ledger: PerfCheckpointSeries) -> JSONValue {
        let daily = ledger.dailyReturns.map { $0.percent / 100 }
        let mean = daily.reduce(0, +) / Double(max(daily.count, 1))
        let variance = daily.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(daily.count - 1, 1))
        let downside = daily.filter { $0 < 0 }.reduce(0) { $0 + $1 * $1 } / Double(max(daily.count, 1))
        let annualFactor = 365.0.squareRoot()
        return .object([
            ("annual", .double(MinerVariation.round(variance.squareRoot() * annualFactor, places: 6))),
            ("annual_downside", .double(MinerVariation.round(downside.squareRoot() * annualFactor, places: 6))),
        ])
    }

    private func drawdowns(_ ledger: PerfCheckpointSeries) -> JSONValue {
        let worst = ledger.maxDrawdown
        return .object([
            ("instantaneous_max_drawdown", .double(MinerVariation.round(worst, places: 6))),
            ("daily_max_drawdown", .double(MinerVariation.round(min(1, worst + 0.001), places: 6))),
        ])
    }

    private func engagement(_ profile: MinerProfile) -> JSONValue {
        let closed = profile.miner.positions.filter { $0["is_closed_position"]?.boolValue == true }
        let durationMs = closed.reduce(Int64(0)) { $0 + ($1["close_ms"]?.int64Value ?? 0) - ($1["open_ms"]?.int64Value ?? 0) }
        let checkpointMs = Int64(profile.ledger.checkpoints.count) * PerfCheckpointSeries.checkpointDurationMs
        return .object([
            ("n_checkpoints", .int(Int64(profile.ledger.checkpoints.count))),
            ("n_positions", profile.miner.entry["n_positions"] ?? .int(0)),
            ("position_duration", .int(durationMs)),
            ("checkpoint_durations", .int(checkpointMs)),
            ("minimum_days_boolean", .bool(checkpointMs >= 30 * 86_400_000)),
            ("percentage_profitable", profile.miner.entry["percentage_profitable"] ?? .double(0)),
        ])
    }

    private func renamed(_ ranked: JSONValue, valueKey: String) -> JSONValue {
        .object((ranked.objectPairs ?? []).map { ($0.0 == "value" ? valueKey : $0.0, $0.1) })
    }
}
