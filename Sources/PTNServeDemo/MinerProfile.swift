/// Per-miner facts shared by the statistics file and the validator checkpoint: challenge status, ledger, collateral.
struct MinerProfile {
    let hotkey: String
    /// `challengeperiod.status` of the statistics file: "success", "testing" or "probation".
    let status: String
    let statusStartMs: Int64
    let ledger: PerfCheckpointSeries
    let accountSizes: [JSONValue]
    let miner: DemoMiner

    /// The checkpoint's HEAD-format bucket name for `status`.
    var bucket: String {
        switch status {
        case "testing": "CHALLENGE"
        case "probation": "PROBATION"
        default: "MAINCOMP"
        }
    }

    init(miner: DemoMiner, index: Int, options: DemoDataSet.Options) {
        var random = SplitMix64(seed: DemoDigest.subSeed(seed: options.seed, label: "profile/\(miner.hotkey)"))
        hotkey = miner.hotkey
        self.miner = miner
        status = index % 7 == 5 ? "probation" : (index % 5 == 4 ? "testing" : "success")
        statusStartMs = options.generationTimeMs - random.integer(5 * 86_400_000...120 * 86_400_000)
        ledger = PerfCheckpointSeries(
            seed: options.seed, hotkey: miner.hotkey, count: Int(random.integer(40...120)), endMs: options.generationTimeMs,
            targetReturn: miner.entry["all_time_returns"]?.doubleValue ?? 1.0)
        let collateral = MinerVariation.round(random.uniform(500...5000), places: 2)
        accountSizes = [
            .object([
                ("account_size", .double(collateral * 100)),
                ("account_size_theta", .double(collateral)),
                ("update_time_ms", .int(statusStartMs)),
                ("valid_date_timestamp", .int(statusStartMs / 86_400_000 * 86_400_000 + 86_400_000)),
            ])
        ]
    }

    /// Statistics `challengeperiod` object; `remaining_time_ms` only while a decision is pending.
    func challengePeriod(generationTimeMs: Int64) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("status", .string(status)), ("start_time_ms", .int(statusStartMs))]
        if status != "success" {
            let periodMs: Int64 = 90 * 86_400_000
            pairs.append(("remaining_time_ms", .int(max(0, statusStartMs + periodMs - generationTimeMs))))
        }
        return .object(pairs)
    }
}
