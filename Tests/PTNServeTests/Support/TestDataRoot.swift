import Foundation
import NIOCore
@testable import PTNServe

/// A PTN root in a fresh temporary folder, built from the real miner entries, with a key file of every tier.
struct TestDataRoot {
    let url: URL

    /// Real SS58 hotkeys: entry a's own miner and one from PTN's departed-hotkeys list.
    static let hotkeyA = "5GpFBT3CivTBMZek6XMWrFtxNn8sMR5viqt8fM4di3zVNWv3"
    static let hotkeyB = "5C5GANtAKokcPvJBGyLcFgY5fYuQaXC3MpVt75codZbLLZrZ"

    /// Keys of the test key file, by tier; `legacy` uses PTN's plain-string form (tier 100).
    enum Key {
        static let tier100 = "k-alice-3f9c1e7a2b"
        static let tier50 = "k-bob-8d2e4f6a1c"
        static let tier30 = "k-carol-5b7d9e1f3a"
        static let tier0 = "k-trial-2c4e6a8b0d"
        static let legacy = "k-legacy-9a8b7c6d5e"
    }

    static let keyFile = """
        {"alice": {"key": "\(Key.tier100)", "tier": 100}, "bob": {"key": "\(Key.tier50)", "tier": 50},
         "carol": {"key": "\(Key.tier30)", "tier": 30}, "trial": {"key": "\(Key.tier0)"}, "legacy": "\(Key.legacy)"}
        """

    /// The raw bytes of a real miner entry shipped with the package.
    static func realEntry(_ name: String) throws -> String {
        let url = packageRoot.appendingPathComponent("Sources/PTNServeDemo/Resources/\(name).json")
        return try String(contentsOf: url, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// output.json as PTN writes it (Python separators), hotkey A first.
    static func outputJSON() throws -> String {
        "{\"\(hotkeyA)\": \(try realEntry("miner-entry-a")), \"\(hotkeyB)\": \(try realEntry("miner-entry-b"))}"
    }

    /// A stand-in tier view: the same entries with `"tier": T` appended, which is what the tests tell apart.
    static func tierJSON(_ tier: Int) throws -> String {
        func tagged(_ entry: String) -> String { String(entry.dropLast()) + ", \"tier\": \(tier)}" }
        return "{\"\(hotkeyA)\": \(tagged(try realEntry("miner-entry-a"))), \"\(hotkeyB)\": \(tagged(try realEntry("miner-entry-b")))}"
    }

    static let statisticsJSON = """
        {"version": "7.1.1", "created_timestamp_ms": 1752000000000, "created_date": "2025-07-08 18:40:00", "data": [\
        {"hotkey": "\(hotkeyA)", "checkpoints": [{"last_update_ms": 1751990000000, "gain": 0.01, "loss": -0.002}], \
        "weight": {"value": 0.12, "rank": 1, "percentile": 1.0}}, \
        {"weight": {"value": 0.05, "rank": 2, "percentile": 0.5}, "hotkey": "\(hotkeyB)", \
        "checkpoints": [{"last_update_ms": 1751990000000, "gain": 0.0, "loss": -0.01}]}], \
        "constants": {"MAX_ORDERS_PER_POSITION": 100}}
        """

    static let eliminationsJSON = """
        {"eliminations": [{"hotkey": "5C5W8HYYUMgQKZhpPdZgjfJXt1GK2aBm7K3WAbX25P2JgMYJ", \
        "elimination_initiated_time_ms": 1749774971513, "dd": 0.11, "reason": "MAX_TOTAL_DRAWDOWN"}]}
        """

    static func checkpointJSON() throws -> String {
        "{\"version\": \"7.1.1\", \"created_timestamp_ms\": 1752000000000, \"eliminations\": [], \"positions\": \(try outputJSON())}"
    }

    /// Writes the full data set (no miner_copying.json, like every validator since 2024).
    static func make() throws -> TestDataRoot {
        _ = blockingPoolSizedForTests
        let root = TestDataRoot(
            url: FileManager.default.temporaryDirectory.appendingPathComponent("ptn-serve-test-\(UUID().uuidString)")
        )
        try root.write("validation/outputs/output.json", try outputJSON())
        for tier in [0, 30, 50, 100] {
            try root.write("validation/outputs/tiered_positions/\(tier)/output.json.gz", gzip(try tierJSON(tier)))
        }
        try root.write("validation/eliminations.json", eliminationsJSON)
        try root.write("runnable/minerstatistics.json", statisticsJSON)
        try root.write("runnable/validator_checkpoint.json.gz", gzip(try checkpointJSON()))
        try root.write("ptn_api/api_keys.json", keyFile)
        return root
    }

    static func gzip(_ text: String) throws -> Data {
        let compressed = try Gzip.compress(ByteBuffer(string: text))
        return Data(buffer: compressed)
    }

    func path(_ relative: String) -> URL { url.appendingPathComponent(relative) }

    /// Writes atomically, as PTN does: a temporary file renamed over the target.
    func write(_ relative: String, _ text: String) throws { try write(relative, Data(text.utf8)) }

    func write(_ relative: String, _ data: Data) throws {
        let target = path(relative)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = url.appendingPathComponent(".tmp-\(UUID().uuidString)")
        try data.write(to: temporary)
        guard rename(temporary.path, target.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    /// Overwrites in place without a rename: what a non-atomic writer (the checkpoint writer) leaves mid-write.
    func overwriteInPlace(_ relative: String, _ data: Data) throws {
        let handle = try FileHandle(forWritingTo: path(relative))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: data)
        try handle.close()
    }

    func remove(_ relative: String) throws { try FileManager.default.removeItem(at: path(relative)) }

    func configuration(allowQueryKey: Bool = false) -> ServeConfiguration {
        var config = ServeConfiguration(
            dataDir: url.path, host: "127.0.0.1", port: 0, allowQueryKey: allowQueryKey, pollInterval: .milliseconds(50)
        )
        // Tests run side by side: no metrics listener on a fixed port unless a test sets one.
        config.metricsPort = 0
        config.wsPort = 0
        return config
    }

    func delete() { try? FileManager.default.removeItem(at: url) }
}
