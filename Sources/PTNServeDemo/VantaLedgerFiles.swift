/// The files a Vanta validator writes besides PTN's and Vanta's server answers from: the debt, emissions and penalty
/// ledgers, the perf ledgers and the miners' asset selections (written only for the `vanta` profile).
///
/// The spec gives no schema for the three ledger files beyond Vanta's per-miner answer (`{"hotkey",
/// "total_checkpoints", "summary", "checkpoints"}` for a debt ledger). Their top level here, `{"created_timestamp_ms",
/// "summaries"?, "ledgers": {hotkey: ledger}}`, and the checkpoint fields are a plausible shape, not Vanta's exact one.
/// The perf ledgers follow the checkpoint's `perf_ledgers` member, and the asset selections its
/// `asset_selections` member.
struct VantaLedgerFiles {
    static let debtLedgerPath = "validation/debt_ledger.json.gz"
    static let emissionsLedgerPath = "validation/emissions_ledger.json.gz"
    static let penaltyLedgerPath = "validation/penalty_ledger.json.gz"
    static let perfLedgersPath = "validation/perf_ledgers.json.gz"
    static let assetSelectionsPath = "validation/asset_selections.json"

    let profiles: [MinerProfile]
    let checkpoint: ValidatorCheckpointFile
    let options: DemoDataSet.Options

    /// The five files' JSON, keyed by path relative to the root (the `.gz` ones still to be compressed).
    func json() -> [String: JSONValue] {
        let ledgers = profiles.map { MinerLedgers(profile: $0, seed: options.seed) }
        let created: (String, JSONValue) = ("created_timestamp_ms", .int(options.generationTimeMs))
        return [
            Self.debtLedgerPath: .object([
                created,
                ("summaries", .object(ledgers.map { ($0.hotkey, $0.debtSummary) })),
                ("ledgers", .object(ledgers.map { ($0.hotkey, $0.debtLedger) })),
            ]),
            Self.emissionsLedgerPath: .object([created, ("ledgers", .object(ledgers.map { ($0.hotkey, $0.emissionsLedger) }))]),
            Self.penaltyLedgerPath: .object([created, ("ledgers", .object(ledgers.map { ($0.hotkey, $0.penaltyLedger) }))]),
            Self.perfLedgersPath: .object(profiles.map { profile in
                let portfolio = checkpoint.portfolioLedger(profile)
                let pair = profile.miner.positions.last?["trade_pair"]?.arrayValue?.first?.stringValue ?? "BTCUSD"
                // One trade pair per demo miner: its pair's ledger is the portfolio's.
                return (profile.hotkey, .object([("portfolio", portfolio), (pair, portfolio)]))
            }),
            Self.assetSelectionsPath: .object(profiles.map { ($0.hotkey, .string("crypto")) }),
        ]
    }
}

/// One miner's debt, emissions and penalty ledgers, one checkpoint per perf-ledger checkpoint (12 h).
private struct MinerLedgers {
    let hotkey: String
    let debtLedger: JSONValue
    let debtSummary: JSONValue
    let emissionsLedger: JSONValue
    let penaltyLedger: JSONValue

    init(profile: MinerProfile, seed: UInt64) {
        var random = SplitMix64(seed: DemoDigest.subSeed(seed: seed, label: "ledgers/\(profile.hotkey)"))
        hotkey = profile.hotkey
        let duration = PerfCheckpointSeries.checkpointDurationMs
        let usdPerTao = MinerVariation.round(random.uniform(380...460), places: 2)
        let taoPerAlpha = MinerVariation.round(random.uniform(0.004...0.012), places: 6)
        var debt = [JSONValue](), emissions = [JSONValue](), penalties = [JSONValue]()
        var alphaTotal = 0.0, taoTotal = 0.0, usdTotal = 0.0
        var drawdownPenalty = 1.0, riskPenalty = 1.0
        for checkpoint in profile.ledger.checkpoints {
            let end = checkpoint["last_update_ms"]?.int64Value ?? 0
            let portfolioReturn = checkpoint["prev_portfolio_ret"]?.doubleValue ?? 1
            let alpha = MinerVariation.round(random.uniform(0.5...40), places: 6)
            let tao = MinerVariation.round(alpha * taoPerAlpha, places: 8)
            let usd = MinerVariation.round(tao * usdPerTao, places: 4)
            alphaTotal += alpha
            taoTotal += tao
            usdTotal += usd
            let drawdown = checkpoint["mdd"]?.doubleValue ?? 1
            drawdownPenalty = MinerVariation.round(drawdown >= 0.95 ? 1 : max(0, 1 - (0.95 - drawdown) * 10), places: 6)
            if random.uniform(0...1) < 0.05 { riskPenalty = MinerVariation.round(random.uniform(0.6...1), places: 6) }
            let totalPenalty = MinerVariation.round(drawdownPenalty * riskPenalty, places: 6)
            emissions.append(.object([
                ("chunk_start_ms", .int(end - duration)),
                ("chunk_end_ms", .int(end)),
                ("alpha_earned", .double(alpha)),
                ("tao_per_alpha", .double(taoPerAlpha)),
                ("usd_per_tao", .double(usdPerTao)),
                ("tao_earned", .double(tao)),
                ("usd_earned", .double(usd)),
                ("num_blocks", .int(duration / 12_000)),
            ]))
            penalties.append(.object([
                ("last_processed_ms", .int(end)),
                ("drawdown_penalty", .double(drawdownPenalty)),
                ("risk_profile_penalty", .double(riskPenalty)),
                ("min_collateral_penalty", .double(1.0)),
                ("total_penalty", .double(totalPenalty)),
                ("challenge_period_status", .string(profile.bucket)),
            ]))
            debt.append(.object([
                ("timestamp_ms", .int(end)),
                ("portfolio_return", .double(portfolioReturn)),
                ("max_drawdown", .double(drawdown)),
                ("alpha_earned", .double(alpha)),
                ("tao_earned", .double(tao)),
                ("usd_earned", .double(usd)),
                ("total_penalty", .double(totalPenalty)),
                ("realized_pnl", .double(checkpoint["pnl_gain"]?.doubleValue ?? 0)),
                ("unrealized_pnl", .double(checkpoint["pnl_loss"]?.doubleValue ?? 0)),
            ]))
        }
        let times = profile.ledger.checkpoints.compactMap { $0["last_update_ms"]?.int64Value }
        let summary = JSONValue.object([
            ("hotkey", .string(hotkey)),
            ("total_checkpoints", .int(Int64(debt.count))),
            ("first_checkpoint_ms", times.first.map { .int($0) } ?? .null),
            ("last_checkpoint_ms", times.last.map { .int($0) } ?? .null),
            ("cumulative_alpha_earned", .double(MinerVariation.round(alphaTotal, places: 6))),
            ("cumulative_tao_earned", .double(MinerVariation.round(taoTotal, places: 8))),
            ("cumulative_usd_earned", .double(MinerVariation.round(usdTotal, places: 4))),
            ("latest_portfolio_return", debt.last?["portfolio_return"] ?? .null),
            ("latest_total_penalty", debt.last?["total_penalty"] ?? .null),
        ])
        debtSummary = summary
        debtLedger = .object([
            ("hotkey", .string(hotkey)),
            ("total_checkpoints", .int(Int64(debt.count))),
            ("summary", summary),
            ("checkpoints", .array(debt)),
        ])
        emissionsLedger = .object([("hotkey", .string(hotkey)), ("total_checkpoints", .int(Int64(emissions.count))), ("checkpoints", .array(emissions))])
        penaltyLedger = .object([("hotkey", .string(hotkey)), ("total_checkpoints", .int(Int64(penalties.count))), ("checkpoints", .array(penalties))])
    }
}
