/// Encodes output.json and its tier views, encoding each position once and reusing its bytes wherever a tier shows it
/// unchanged (a fresh encode of every file took most of the generation time in debug builds).
struct MinerMapEncoder {
    private let miners: [DemoMiner]
    private let positionBytes: [[[UInt8]]]

    init(miners: [DemoMiner]) {
        self.miners = miners
        positionBytes = miners.map { $0.positions.map { JSONWriter.encode($0) } }
    }

    /// `validation/outputs/output.json`.
    func realTime() -> [UInt8] {
        encode(tier: nil) { index in positionBytes[index] }
    }

    /// One tier file's JSON, equal to encoding `TierViews.view(of:tier:generationTimeMs:)`.
    func view(tier: Int, generationTimeMs: Int64) -> [UInt8] {
        let threshold = generationTimeMs - TierRule.lagMs
        return encode(tier: tier) { index in
            zip(miners[index].positions, positionBytes[index]).compactMap { position, bytes in
                guard TierRule.isLagged(position, tier: tier, threshold: threshold) else { return bytes }
                return TierRule.lag(position, threshold: threshold).map { JSONWriter.encode($0) }
            }
        }
    }

    private func encode(tier: Int?, positions: (Int) -> [[UInt8]]) -> [UInt8] {
        JSONWriter.object(miners.indices.map { index in
            var members = (miners[index].entry.objectPairs ?? []).map { key, value in
                (key, key == "positions" ? JSONWriter.array(positions(index)) : JSONWriter.encode(value))
            }
            if let tier { members.append(("tier", Array(String(tier).utf8))) }
            return (miners[index].hotkey, JSONWriter.object(members))
        })
    }
}
