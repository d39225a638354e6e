/// Builds `runnable/validator_checkpoint.json.gz`'s JSON from the real-time data.
struct ValidatorCheckpointFile {
    let miners: [DemoMiner]
    let profiles: [MinerProfile]
    let eliminations: [JSONValue]
    let options: DemoDataSet.Options

    func json() -> JSONValue {
        let orderTimes = miners.flatMap(\.positions).flatMap { $0["orders"]?.arrayValue ?? [] }.compactMap { $0["processed_ms"]?.int64Value }
        return .object([
            ("version", .string(DemoDataSet.subnetVersion)),
            ("created_timestamp_ms", .int(options.generationTimeMs)),
            ("created_date", .string(UTCDateFormat.dateTime(options.generationTimeMs))),
            ("challengeperiod", .object(profiles.map { ($0.hotkey, challengeBucket($0)) })),
            ("miner_account_sizes", .object(profiles.map { ($0.hotkey, .array($0.accountSizes)) })),
            ("eliminations", .array(eliminations)),
            // PTN names the minimum "youngest" and the maximum "oldest"; the file keeps that naming.
            ("youngest_order_processed_ms", orderTimes.min().map { .int($0) } ?? .double(.infinity)),
            ("oldest_order_processed_ms", orderTimes.max().map { .int($0) } ?? .double(.infinity)),
            ("positions", .object(miners.map { ($0.hotkey, $0.entry) })),
            ("perf_ledgers", .object(profiles.map { ($0.hotkey, .object([("portfolio", portfolioLedger($0))])) })),
            ("asset_selections", .object(profiles.map { ($0.hotkey, .string("crypto")) })),
        ])
    }

    private func challengeBucket(_ profile: MinerProfile) -> JSONValue {
        let promoted = profile.bucket != "CHALLENGE"
        return .object([
            ("bucket", .string(profile.bucket)),
            ("bucket_start_time", .int(profile.statusStartMs)),
            ("previous_bucket", promoted ? .string("CHALLENGE") : .null),
            ("previous_bucket_start_time", promoted ? .int(profile.statusStartMs - 61 * 86_400_000) : .null),
        ])
    }

    /// A miner's portfolio perf ledger (also the demo's `validation/perf_ledgers.json.gz` entries).
    func portfolioLedger(_ profile: MinerProfile) -> JSONValue {
        let checkpoints = profile.ledger.checkpoints
        let firstUpdate = checkpoints.first?["last_update_ms"]?.int64Value ?? options.generationTimeMs
        let maxReturn = checkpoints.compactMap { $0["mpv"]?.doubleValue }.max() ?? 1.0
        let lastOrder = profile.miner.positions.last?["orders"]?.arrayValue?.last
        let pair = profile.miner.positions.last?["trade_pair"]?.arrayValue?.first?.stringValue ?? "BTCUSD"
        let prices: [(String, JSONValue)] = lastOrder.map { [(pair, $0["price"] ?? .double(0))] } ?? []
        return .object([
            ("initialization_time_ms", .int(firstUpdate - PerfCheckpointSeries.checkpointDurationMs)),
            ("max_return", .double(maxReturn)),
            ("target_cp_duration_ms", .int(PerfCheckpointSeries.checkpointDurationMs)),
            ("target_ledger_window_ms", .int(90 * 86_400_000)),
            ("cps", .array(checkpoints)),
            ("last_known_prices", .object(prices)),
        ])
    }
}
