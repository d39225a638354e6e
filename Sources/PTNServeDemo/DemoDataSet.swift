import Foundation
import NIOCore
import PTNServe

/// A realistic, deterministic PTN data set (positions, tiers, eliminations, statistics, checkpoint, API keys; for the
/// `vanta` profile also the ledgers and asset selections).
package struct DemoDataSet: Sendable {
    /// The `subnet_version` the demo files claim (PTN's meta.json at the commit the spec was read from).
    static let subnetVersion = "7.1.1"

    /// Where the key file goes, relative to the root: PTN's own place for it.
    static let keyFilePath = "ptn_api/api_keys.json"

    package let options: Options

    package init(options: Options) {
        self.options = options
    }

    /// The demo API keys (one per tier), the same ones `files()` writes.
    package var keys: [DemoKey] { DemoKey.keys(seed: options.seed) }

    /// Every file, keyed by its path relative to the PTN root; identical bytes for identical options.
    package func files() throws -> [String: [UInt8]] {
        let miners = try roster()
        let active = miners.filter { $0.elimination == nil }
        let profiles = active.enumerated().map { MinerProfile(miner: $1, index: $0, options: options) }
        let eliminations = miners.compactMap(\.elimination)
        var files = try cycleFiles(miners: miners, profiles: profiles, generationTimeMs: options.generationTimeMs)
        files["validation/eliminations.json"] = JSONWriter.encode(.object([("eliminations", .array(eliminations))]))
        files[Self.keyFilePath] = JSONWriter.encode(DemoKey.apiKeysFile(keys))
        // The checkpoint's "positions" member is output.json itself; reuse its bytes instead of encoding it again.
        let realTime = files["validation/outputs/output.json"] ?? []
        let checkpoint = ValidatorCheckpointFile(miners: miners, profiles: profiles, eliminations: eliminations, options: options)
        let checkpointMembers = (checkpoint.json().objectPairs ?? []).map { key, value in
            (key, key == "positions" ? realTime : JSONWriter.encode(value))
        }
        files["runnable/validator_checkpoint.json.gz"] = try Self.gzip(JSONWriter.object(checkpointMembers))
        if options.profile == "vanta" {
            for (path, json) in VantaLedgerFiles(profiles: profiles, checkpoint: checkpoint, options: options).json() {
                let bytes = JSONWriter.encode(json)
                files[path] = path.hasSuffix(".gz") ? try Self.gzip(bytes) : bytes
            }
        }
        return files
    }

    /// The miners, in output.json order.
    func roster() throws -> [DemoMiner] {
        try DemoRoster(options: options, resources: try DemoResources.load()).miners()
    }

    /// The files a validator rewrites every cycle, as of `generationTimeMs`: output.json, its tier views (lagged from
    /// that time) and the statistics.
    func cycleFiles(miners: [DemoMiner], profiles: [MinerProfile], generationTimeMs: Int64) throws -> [String: [UInt8]] {
        let encoder = MinerMapEncoder(miners: miners)
        var now = options
        now.generationTimeMs = generationTimeMs
        var files: [String: [UInt8]] = [
            "validation/outputs/output.json": encoder.realTime(),
            "runnable/minerstatistics.json": JSONWriter.encode(MinerStatisticsFile(profiles: profiles, options: now).json()),
        ]
        for tier in TierRule.tiers {
            let view = encoder.view(tier: tier, generationTimeMs: generationTimeMs)
            files["validation/outputs/tiered_positions/\(tier)/output.json.gz"] = try Self.gzip(view)
        }
        return files
    }

    /// Writes the files under `root` (creating folders, replacing files atomically) and returns the demo keys. The key
    /// file is readable by its owner only, as the server asks of every key file.
    package func write(to root: URL) throws -> [DemoKey] {
        try Self.write(try files(), to: root)
        return keys
    }

    /// Writes `files` under `root` as PTN's writers do: each beside its place, then renamed over it.
    static func write(_ files: [String: [UInt8]], to root: URL) throws {
        for (path, bytes) in files.sorted(by: { $0.key < $1.key }) {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            if path == Self.keyFilePath {
                try KeyFileWriter.write(Data(bytes), to: url.path)
            } else {
                try Data(bytes).write(to: url, options: .atomic)
            }
        }
    }

    private static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let compressed = try Gzip.compress(ByteBuffer(bytes: bytes))
        return Array(compressed.readableBytesView)
    }
}
