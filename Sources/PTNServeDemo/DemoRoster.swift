/// Chooses the demo miners: the two real samples, active variations of them and a few eliminated miners.
struct DemoRoster {
    static let dayMs: Int64 = 86_400_000
    static let hourMs: Int64 = 3_600_000
    /// PTN's elimination reasons, cycled over the eliminated miners.
    static let eliminationReasons = [
        "MAX_TOTAL_DRAWDOWN", "LIQUIDATED", "FAILED_CHALLENGE_PERIOD_DRAWDOWN", "PLAGIARISM", "FAILED_CHALLENGE_PERIOD_TIME",
        "ZOMBIE",
    ]

    let options: DemoDataSet.Options
    /// The two real samples with their positions in PTN key order, prepared once for all miners.
    private let entryA: JSONValue
    private let entryB: JSONValue
    private let departedHotkeys: [String]

    init(options: DemoDataSet.Options, resources: DemoResources) {
        self.options = options
        entryA = Self.canonical(resources.entryA)
        entryB = Self.canonical(resources.entryB)
        departedHotkeys = resources.departedHotkeys
    }

    /// Miners in output.json order: `thirty_day_returns` descending, ties in roster order.
    func miners() throws -> [DemoMiner] {
        let count = max(1, options.minerCount)
        let hotkeys = try chooseHotkeys(count: count)
        let eliminatedCount = count >= 8 ? count / 8 : 0
        let roster = try (0..<count).map { index -> DemoMiner in
            let base = index % 2 == 0 ? entryA : entryB
            if index == 0 { return DemoMiner(hotkey: hotkeys[0], entry: MinerAggregates.reordered(base), elimination: nil) }
            if index >= count - eliminatedCount {
                return try eliminatedMiner(base: base, hotkey: hotkeys[index], ordinal: index - (count - eliminatedCount))
            }
            return activeMiner(base: base, hotkey: hotkeys[index], index: index)
        }
        return roster.enumerated().sorted { lhs, rhs in
            let (left, right) = (lhs.element.thirtyDayReturns, rhs.element.thirtyDayReturns)
            return left != right ? left > right : lhs.offset < rhs.offset
        }.map(\.element)
    }

    /// The real hotkey first, then departed hotkeys in a seeded shuffle.
    private func chooseHotkeys(count: Int) throws -> [String] {
        var pool = departedHotkeys.filter { $0 != DemoResources.realHotkey }
        guard count - 1 <= pool.count else { throw DemoDataError.tooManyMiners(requested: count, available: pool.count + 1) }
        var random = SplitMix64(seed: DemoDigest.subSeed(seed: options.seed, label: "hotkeys"))
        // Our own Fisher-Yates: the standard library's shuffle algorithm is not guaranteed stable across releases.
        for index in stride(from: pool.count - 1, to: 0, by: -1) {
            pool.swapAt(index, Int(random.integer(0...Int64(index))))
        }
        return [DemoResources.realHotkey] + pool.prefix(count - 1)
    }

    private static func canonical(_ entry: JSONValue) -> JSONValue {
        entry.setting("positions", to: .array((entry["positions"]?.arrayValue ?? []).map(PTNFieldOrder.canonicalPosition)))
    }

    /// The second real sample keeps its data and aggregates under a new hotkey, with new UUIDs (it is a copy of the
    /// same miner); the others are perturbed, time-shifted variations with recomputed aggregates.
    private func activeMiner(base: JSONValue, hotkey: String, index: Int) -> DemoMiner {
        var random = SplitMix64(seed: DemoDigest.subSeed(seed: options.seed, label: "active/\(hotkey)"))
        let variation = MinerVariation(seed: options.seed, hotkey: hotkey, instrument: index % 3 == 0 ? .eth : .btc)
        let positions = base["positions"]?.arrayValue ?? []
        if index == 1 {
            let entry = MinerAggregates.reordered(base.setting("positions", to: .array(variation.relabeled(positions))))
            return DemoMiner(hotkey: hotkey, entry: entry, elimination: nil)
        }
        // Newest order between 10 minutes and 20 hours ago, so recent activity falls inside the 24-hour lag window.
        let newest = options.generationTimeMs - random.integer(600_000...20 * Self.hourMs)
        let rewritten = variation.positions(from: positions, newestOrderMs: newest, dropShare: 0.1)
        return DemoMiner(
            hotkey: hotkey, entry: MinerAggregates.entry(positions: rewritten, generationTimeMs: options.generationTimeMs),
            elimination: nil)
    }

    /// A short-lived miner: a handful of closed positions that ended weeks ago, then an elimination.
    private func eliminatedMiner(base: JSONValue, hotkey: String, ordinal: Int) throws -> DemoMiner {
        var random = SplitMix64(seed: DemoDigest.subSeed(seed: options.seed, label: "eliminated/\(hotkey)"))
        let closed = (base["positions"]?.arrayValue ?? []).filter { $0["is_closed_position"]?.boolValue == true }
        guard closed.count >= 8 else { throw DemoDataError.malformedResource("miner-entry") }
        let length = Int(random.integer(3...8))
        let start = Int(random.integer(0...Int64(closed.count - length)))
        let lastActivity = options.generationTimeMs - random.integer(10 * Self.dayMs...60 * Self.dayMs)
        let variation = MinerVariation(seed: options.seed, hotkey: hotkey, instrument: .btc)
        let positions = variation.positions(from: Array(closed[start..<start + length]), newestOrderMs: lastActivity, dropShare: 0)
        let reason = Self.eliminationReasons[ordinal % Self.eliminationReasons.count]
        let eliminatedAt = lastActivity + random.integer(Self.hourMs...6 * Self.hourMs)
        let row = EliminationRow.make(
            hotkey: hotkey, reason: reason, at: eliminatedAt, drawdown: MinerVariation.round(random.uniform(0.05...0.12), places: 4),
            lastPosition: positions.last)
        return DemoMiner(
            hotkey: hotkey, entry: MinerAggregates.entry(positions: positions, generationTimeMs: options.generationTimeMs),
            elimination: row)
    }
}
