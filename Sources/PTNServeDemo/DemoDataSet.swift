import Foundation
import NIOCore
import PTNServe

/// A realistic, deterministic PTN data set (positions, tiers, eliminations, statistics, checkpoint, API keys).
public struct DemoDataSet: Sendable {
    /// The `subnet_version` the demo files claim (PTN's meta.json at the commit the spec was read from).
    static let subnetVersion = "7.1.1"

    /// Where the key file goes, relative to the root: PTN's own place for it.
    static let keyFilePath = "ptn_api/api_keys.json"

    public let options: Options

    public init(options: Options) {
        self.options = options
    }

    /// The demo API keys (one per tier), the same ones `files()` writes.
    public var keys: [DemoKey] { DemoKey.keys(seed: options.seed) }

    /// Every file, keyed by its path relative to the PTN root; identical bytes for identical options.
    public func files() throws -> [String: [UInt8]] {
        let miners = try DemoRoster(options: options, resources: try DemoResources.load()).miners()
        let active = miners.filter { $0.elimination == nil }
        let profiles = active.enumerated().map { MinerProfile(miner: $1, index: $0, options: options) }
        let eliminations = miners.compactMap(\.elimination)
        let encoder = MinerMapEncoder(miners: miners)
        let realTime = encoder.realTime()
        var files: [String: [UInt8]] = [
            "validation/outputs/output.json": realTime,
            "validation/eliminations.json": JSONWriter.encode(.object([("eliminations", .array(eliminations))])),
            "runnable/minerstatistics.json": JSONWriter.encode(MinerStatisticsFile(profiles: profiles, options: options).json()),
            Self.keyFilePath: JSONWriter.encode(DemoKey.apiKeysFile(keys)),
        ]
        // The checkpoint's "positions" member is output.json itself; reuse its bytes instead of encoding it again.
        let checkpoint = ValidatorCheckpointFile(miners: miners, profiles: profiles, eliminations: eliminations, options: options)
        let checkpointMembers = (checkpoint.json().objectPairs ?? []).map { key, value in
            (key, key == "positions" ? realTime : JSONWriter.encode(value))
        }
        files["runnable/validator_checkpoint.json.gz"] = try gzip(JSONWriter.object(checkpointMembers))
        for tier in TierRule.tiers {
            let view = encoder.view(tier: tier, generationTimeMs: options.generationTimeMs)
            files["validation/outputs/tiered_positions/\(tier)/output.json.gz"] = try gzip(view)
        }
        return files
    }

    /// Writes the files under `root` (creating folders, replacing files atomically) and returns the demo keys. The key
    /// file is readable by its owner only, as the server asks of every key file.
    public func write(to root: URL) throws -> [DemoKey] {
        for (path, bytes) in try files().sorted(by: { $0.key < $1.key }) {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            if path == Self.keyFilePath {
                try KeyFileWriter.write(Data(bytes), to: url.path)
            } else {
                try Data(bytes).write(to: url, options: .atomic)
            }
        }
        return keys
    }

    private func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let compressed = try Gzip.compress(ByteBuffer(bytes: bytes))
        return Array(compressed.readableBytesView)
    }
}
