/// A file of the PTN data set that ptn-serve serves, with where it lives under the PTN root.
public enum ServedFile: Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case positions
    case tieredPositions(Tier)
    case eliminations
    case minerCopying
    case statistics
    case checkpoint

    /// Position tiers written by PTN: the share (in %) of fresh positions shown in real time.
    public enum Tier: Int, Sendable, CaseIterable, Comparable {
        case t0 = 0, t30 = 30, t50 = 50, t100 = 100
        public static func < (a: Tier, b: Tier) -> Bool { a.rawValue < b.rawValue }
    }

    public static var allCases: [ServedFile] {
        [.positions] + Tier.allCases.map { .tieredPositions($0) } + [.eliminations, .minerCopying, .statistics, .checkpoint]
    }

    /// How the bytes on disk are stored.
    public enum Encoding: Sendable { case json, gzip }

    /// Candidate locations relative to the root, each with its encoding. When several exist the newest is served
    /// (PTN moved the checkpoint from `.json` to `.json.gz` in 2025).
    public var candidates: [(path: String, encoding: Encoding)] {
        switch self {
        case .positions: [("validation/outputs/output.json", .json)]
        case .tieredPositions(let tier): [("validation/outputs/tiered_positions/\(tier.rawValue)/output.json.gz", .gzip)]
        case .eliminations: [("validation/eliminations.json", .json)]
        case .minerCopying: [("validation/miner_copying.json", .json)]
        case .statistics: [("runnable/minerstatistics.json", .json)]
        case .checkpoint: [("runnable/validator_checkpoint.json.gz", .gzip), ("runnable/validator_checkpoint.json", .json)]
        }
    }

    /// A name for logs and health output that reveals no file system path.
    public var description: String {
        switch self {
        case .positions: "positions"
        case .tieredPositions(let tier): "positions-tier-\(tier.rawValue)"
        case .eliminations: "eliminations"
        case .minerCopying: "miner-copying"
        case .statistics: "statistics"
        case .checkpoint: "validator-checkpoint"
        }
    }
}
