import Foundation
import NIOCore
import Testing
@testable import PTNServe

/// Diffs of real-shaped PTN documents: positions by `position_uuid` inside miners by hotkey, and whole files.
@Suite("Version diffs: per key, per nested item, whole files")
struct VersionDiffTests {
    static func position(_ uuid: String, pair: String = "BTCUSD", value: Double = 1.0) -> String {
        #"{"position_uuid": "\#(uuid)", "trade_pair": ["\#(pair)", "x", 0.003, 0.01, 0.5], "current_return": \#(value), "orders": [{"price": 1}]}"#
    }

    static func document(_ miners: [(String, [String])]) -> String {
        "{" + miners.map { "\"\($0.0)\": {\"positions\": [\($0.1.joined(separator: ", "))], \"thirty_day_returns\": 1.0}" }.joined(separator: ", ") + "}"
    }

    /// Loads `text` as a version of `name` (gzipped first when `gzip`), as the reloader would, before compaction.
    static func load(_ name: String, _ text: String, gzip: Bool = false) throws -> FileSnapshot {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ptn-serve-diff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("file.json").path
        try (gzip ? try TestDataRoot.gzip(text) : Data(text.utf8)).write(to: URL(fileURLWithPath: path))
        let file = try #require(ptnTable.file(named: name))
        return try SnapshotLoader.load(file, plan: ptnTable.indexPlan(for: name), path: path)
    }

    static func followed(_ name: String) throws -> FollowedFile {
        try #require(ptnTable.followedFiles.first { $0.name == name })
    }

    @Test("the ptn profile follows output.json and every tier file by position, statistics and the rest whole")
    func ptnFollowedFiles() throws {
        let files = Dictionary(uniqueKeysWithValues: ptnTable.followedFiles.map { ($0.name, $0) })
        for name in ["positions", "positions-tier-0", "positions-tier-30", "positions-tier-50", "positions-tier-100"] {
            #expect(files[name]?.items == FeedItems(path: "positions", key: "position_uuid", facet: FeedFacet(name: "trade_pair")))
            #expect(files[name]?.source == .members)
        }
        #expect(files["positions"]?.tier == 100 && files["positions"]?.isDefault == true)
        #expect(files["positions-tier-30"]?.tier == 30 && files["positions-tier-30"]?.isDefault == false)
        #expect(files["positions-tier-100"]?.isDefault == false)
        #expect(files["statistics"]?.source == nil && files["statistics"]?.isDefault == true)
        #expect(files["validator-checkpoint"]?.tier == 100)
        #expect(try RouteTable.builtIn("vanta").followedFiles.first { $0.name == "positions" }?.items != nil)
    }

    @Test("added, changed and removed positions and a removed miner; unchanged miners give nothing")
    func positionEvents() throws {
        let file = try Self.followed("positions")
        let v1 = try Self.load("positions", Self.document([
            ("A", [Self.position("a1"), Self.position("a2"), Self.position("a3")]),
            ("B", [Self.position("b1")]),
            ("C", [Self.position("c1", pair: "ETHUSD")]),
        ]))
        let first = VersionDiff.compute(file, snapshot: v1, baseline: nil)
        #expect(first.events.map(\.kind) == [.newVersion])
        let baseline = first.applied(to: nil)
        #expect(baseline.entries["A"]?.items.count == 3)

        let v2 = try Self.load("positions", Self.document([
            ("A", [Self.position("a1"), Self.position("a3", value: 1.5), Self.position("a4", pair: "EURUSD")]),
            ("C", [Self.position("c1", pair: "ETHUSD")]),
            ("D", [Self.position("d1")]),
        ]))
        let diff = VersionDiff.compute(file, snapshot: v2, baseline: baseline)
        let summary = diff.events.map { "\($0.kind.rawValue) \($0.key ?? "") \($0.itemKey ?? "") \($0.facet ?? "")" }
        // Removals carry the pair the item had; a miner gone removes each of its positions, then itself; a new miner's own
        // members come as one entry_changed.
        #expect(summary == [
            "item_changed A a3 BTCUSD", "item_added A a4 EURUSD", "item_removed A a2 BTCUSD", "item_added D d1 BTCUSD", "entry_changed D  ",
            "item_removed B b1 BTCUSD", "key_removed B  ",
        ])
        // A follower of one pair gets the removals of that pair's positions.
        let btc = FeedFilter(feeds: ["positions"], facets: ["BTCUSD"])
        #expect(diff.events.filter(btc.matches).map(\.itemKey) == ["a3", "a2", "d1", "b1"])
        let changed = try #require(diff.events.first { $0.kind == .itemChanged })
        #expect(String(buffer: try #require(changed.body)) == Self.position("a3", value: 1.5))
        // C did not change: no digest rewritten for it.
        #expect(Set(diff.upserts.keys) == ["A", "D"] && diff.removals == ["B"])
        // The same version again changes nothing.
        #expect(VersionDiff.compute(file, snapshot: v2, baseline: diff.applied(to: baseline)).events.isEmpty)
    }

    @Test("a stored .gz tier file is diffed too")
    func gzipTierFile() throws {
        let file = try Self.followed("positions-tier-30")
        let v1 = try Self.load("positions-tier-30", Self.document([("A", [Self.position("a1")])]), gzip: true)
        let v2 = try Self.load("positions-tier-30", Self.document([("A", [Self.position("a1", value: 2)])]), gzip: true)
        let baseline = VersionDiff.compute(file, snapshot: v1, baseline: nil).applied(to: nil)
        let events = VersionDiff.compute(file, snapshot: v2, baseline: baseline).events
        #expect(events.map(\.kind) == [.itemChanged] && events.first?.feed == "positions-tier-30")
    }

    @Test("a file followed whole gives one new_version per version, with its ETag and size")
    func wholeFile() throws {
        let file = try Self.followed("eliminations")
        let v1 = try Self.load("eliminations", TestDataRoot.eliminationsJSON)
        let baseline = VersionDiff.compute(file, snapshot: v1, baseline: nil).applied(to: nil)
        #expect(VersionDiff.compute(file, snapshot: v1, baseline: baseline).isEmpty)
        let v2 = try Self.load("eliminations", #"{"eliminations": []}"#)
        let events = VersionDiff.compute(file, snapshot: v2, baseline: baseline).events
        #expect(events.count == 1 && events[0].kind == .newVersion && events[0].etag == v2.version.tag && events[0].size == #"{"eliminations": []}"#.utf8.count)
    }

    static func miner(_ positions: [String], _ members: String) -> String {
        "{\"A\": {\"positions\": [\(positions.joined(separator: ", "))], \(members)}}"
    }

    @Test("a change to a miner's own members only gives one entry_changed with the changed names and new values")
    func entryChanged() throws {
        let file = try Self.followed("positions")
        let positions = [Self.position("a1")]
        let v1 = try Self.load("positions", Self.miner(positions, #""all_time_returns": 1.0, "n_positions": 3, "old": true"#))
        let baseline = VersionDiff.compute(file, snapshot: v1, baseline: nil).applied(to: nil)
        #expect(baseline.entries["A"]?.members?.keys.sorted() == ["all_time_returns", "n_positions", "old"])
        let v2 = try Self.load("positions", Self.miner(positions, #""all_time_returns": 1.25, "n_positions": 3, "new": [1, 2]"#))
        let diff = VersionDiff.compute(file, snapshot: v2, baseline: baseline)
        let event = try #require(diff.events.first)
        #expect(diff.events.count == 1 && event.kind == .entryChanged && event.key == "A" && event.facet == nil)
        #expect(String(buffer: try #require(event.body)) == #"{"changed":["all_time_returns","new","old"],"members":{"all_time_returns":1.25,"new":[1, 2]}}"#)
        // In /changes and /events the body's members are the event's own.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: event.json(facetName: "trade_pair")).utf8)) as? [String: Any])
        #expect(json["kind"] as? String == "entry_changed" && json["changed"] as? [String] == ["all_time_returns", "new", "old"])
        #expect((json["members"] as? [String: Any])?["all_time_returns"] as? Double == 1.25 && json["item"] == nil)
        // A trade-pair follower does not get it (it is about no pair); a hotkey follower does.
        #expect(!FeedFilter(feeds: ["positions"], facets: ["BTCUSD"]).matches(event))
        #expect(FeedFilter(feeds: ["positions"], keys: ["A"]).matches(event))
        // A baseline from before member hashes were kept: nothing told this once, the hashes recorded for the next.
        let old = FeedBaseline(etag: baseline.etag, entries: baseline.entries.mapValues { EntryDigest(hash: $0.hash, items: $0.items) })
        let quiet = VersionDiff.compute(file, snapshot: v2, baseline: old)
        #expect(quiet.events.isEmpty && quiet.upserts["A"]?.members != nil)
    }

    @Test("entry digests survive their journal encoding; digests written before facets and member hashes still read")
    func digestEncoding() {
        let digest = EntryDigest(hash: 0xDEAD_BEEF, items: ["a1": 1, "é": .max], facets: ["a1": "BTCUSD"], members: ["all_time_returns": 7])
        #expect(EntryDigest(encoded: digest.encoded) == digest)
        #expect(EntryDigest(encoded: EntryDigest(hash: 1, members: [:]).encoded) == EntryDigest(hash: 1, members: [:]))
        #expect(EntryDigest(encoded: ByteBuffer(bytes: [1, 2, 3])) == nil)
        // The earlier layout: the hash, the item count, each item's key and hash; nothing after.
        var earlier = ByteBuffer()
        earlier.writeInteger(UInt64(5))
        earlier.writeInteger(UInt32(1))
        earlier.writeInteger(UInt32(2))
        earlier.writeString("a1")
        earlier.writeInteger(UInt64(9))
        #expect(EntryDigest(encoded: earlier) == EntryDigest(hash: 5, items: ["a1": 9]))
        earlier.writeInteger(UInt8(99))
        #expect(EntryDigest(encoded: earlier) == nil)
    }
}
