import Foundation
import NIOCore
import Testing

@testable import PTNServe

@Suite("Each entry's parts, made once per version for the filters its routes declare")
struct EntryPartsTests {
    /// The ptn profile's index plan for output.json, and the file indexed by it.
    private func positionsIndex() throws -> (KeyedEntries, [String: Any]) {
        let table = try RouteTable.builtIn("ptn")
        let text = try TestDataRoot.outputJSON()
        let index = try FileIndex.build(document: ByteBuffer(string: text), plan: table.indexPlan(for: "positions"))
        let entries = try #require(try index.entries[.members]?.get())
        let decoded = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        return (entries, decoded)
    }

    @Test("a miner's positions: one range per position, with its trade pair, status and latest time as the file has them")
    func positions() throws {
        let (entries, decoded) = try positionsIndex()
        let entry = try #require(entries.entry(for: TestDataRoot.hotkeyA))
        let parts = try #require(try entries.parts(of: entry))
        #expect(parts.members.map(\.key) == ["all_time_returns", "n_positions", "percentage_profitable", "positions", "thirty_day_returns"])
        let items = try #require(parts.items["positions"])
        let positions = try #require((decoded[TestDataRoot.hotkeyA] as? [String: Any])?["positions"] as? [[String: Any]])
        #expect(items.ranges.count == positions.count)
        let bytes = try entry.full.identityBytes()
        let pairs = try #require(items.texts[.equals("trade_pair")])
        let closed = try #require(items.texts[.json("is_closed_position")])
        let times = try #require(items.times[.latest(["orders.processed_ms", "close_ms"])])
        for (index, position) in positions.enumerated() {
            // Each range is that position's bytes, and the recorded values are the position's own.
            let slice = try #require(bytes.getSlice(at: bytes.readerIndex + items.ranges[index].lowerBound, length: items.ranges[index].count))
            let reread = try #require(try JSONSerialization.jsonObject(with: Data(slice.readableBytesView)) as? [String: Any])
            #expect(reread["position_uuid"] as? String == position["position_uuid"] as? String)
            #expect(pairs[index] == (position["trade_pair"] as? [Any])?.first as? String)
            #expect(closed[index] == ((position["is_closed_position"] as? Bool) == true ? "true" : "false"))
            let orderTimes = ((position["orders"] as? [[String: Any]]) ?? []).compactMap { ($0["processed_ms"] as? NSNumber)?.int64Value }
            let latest = (orderTimes + [(position["close_ms"] as? NSNumber)?.int64Value].compactMap { $0 }).max()
            #expect(times[index] == latest)
        }
    }

    @Test("files no filtered route reads keep no parts; statistics keep members only")
    func onlyWhereFiltered() throws {
        let table = try RouteTable.builtIn("ptn")
        let statistics = try FileIndex.build(document: ByteBuffer(string: TestDataRoot.statisticsJSON), plan: table.indexPlan(for: "statistics"))
        let entries = try #require(try statistics.entries[.array(path: "data", key: "hotkey")]?.get())
        let entry = try #require(entries.entry(for: TestDataRoot.hotkeyB))
        let parts = try #require(try entries.parts(of: entry))
        #expect(parts.members.map(\.key) == ["weight", "hotkey", "checkpoints"])
        #expect(parts.items.isEmpty)
        #expect(table.indexPlan(for: "eliminations").parts.isEmpty)
    }

    @Test("an entry's parts are made once per version, on the first filtered request; a tier file's from its compressed entry")
    func madeOnce() throws {
        let memo = EntryParts.Memo()
        var made = 0
        for _ in 0 ..< 3 {
            _ = memo.value { made += 1; return nil }
        }
        #expect(made == 1, "an entry that is not an object is remembered as having none")
        let table = try RouteTable.builtIn("ptn")
        let tier = try FileIndex.build(document: ByteBuffer(string: try TestDataRoot.tierJSON(30)), plan: table.indexPlan(for: "positions-tier-30"))
            .compacted(entriesOnlyCompressed: true, compressWhole: false)
        let entries = try #require(try tier.entries[.members]?.get())
        let entry = try #require(entries.entry(for: TestDataRoot.hotkeyA))
        #expect(entry.full.identity == nil)
        let parts = try #require(try entries.parts(of: entry))
        #expect(parts.members.last?.key == "tier")
        #expect(parts.items["positions"]?.ranges.isEmpty == false)
    }
}
