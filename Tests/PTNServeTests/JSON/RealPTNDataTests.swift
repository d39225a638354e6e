import Foundation
import Testing
@testable import PTNServe

/// The index on real PTN miner entries arranged as output.json is: `{hotkey: entry, ...}`.
@Suite struct RealPTNDataTests {
    @Test func outputDocumentBuiltFromRealEntriesIndexesEachMiner() throws {
        let entries = try [PTNFixture.bytes("miner-entry-a.json"), PTNFixture.bytes("miner-entry-b.json")]
        let hotkeys = ["5GpFBT3CivTBMZek6XMWrFtxNn8sMR5viqt8fM4di3zVNWv3", "5FakeSecondHotkeyForTheSameMinerB1234567890abc"]
        var document = Array("{".utf8)
        var expectedRanges: [Range<Int>] = []
        for (index, entry) in entries.enumerated() {
            if index > 0 { document += Array(", ".utf8) }
            document += Array("\"\(hotkeys[index])\": ".utf8)
            expectedRanges.append(document.count ..< document.count + entry.count)
            document += entry
        }
        document += Array("}".utf8)

        let members = try JSONScanner.objectMembers(ofDocument: document)
        #expect(members.map(\.key) == hotkeys)
        #expect(members.map(\.valueRange) == expectedRanges)
        for (member, entry) in zip(members, entries) {
            let original = try JSONSerialization.jsonObject(with: Data(entry))
            let slice = try JSONTestSupport.foundationValue(document, member.valueRange)
            #expect(JSONTestSupport.sameValue(slice, original))
        }
    }

    @Test func realEntryMembersAndPositionsIndexLikeFoundation() throws {
        let entry = try PTNFixture.bytes("miner-entry-a.json")
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(entry)) as? [String: Any])
        let members = try JSONScanner.objectMembers(ofDocument: entry)
        #expect(Set(members.map(\.key)) == Set(parsed.keys))
        #expect(members.count == parsed.count)
        for member in members {
            #expect(JSONTestSupport.sameValue(try JSONTestSupport.foundationValue(entry, member.valueRange), parsed[member.key]!))
        }
        let positions = try #require(members.first { $0.key == "positions" })
        let elements = try JSONScanner.arrayElements(in: entry, range: positions.valueRange)
        let parsedPositions = try #require(parsed["positions"] as? [Any])
        #expect(elements.count == parsedPositions.count)
        for (element, expected) in zip(elements, parsedPositions) {
            #expect(JSONTestSupport.sameValue(try JSONTestSupport.foundationValue(entry, element), expected))
        }
    }

    @Test func truncatedRealEntryIsRejected() throws {
        let entry = try PTNFixture.bytes("miner-entry-b.json")
        for length in [1, entry.count / 3, entry.count / 2, entry.count - 1] {
            let truncated = Array(entry[..<length])
            #expect(JSONTestSupport.errorOffset { () throws(JSONScanError) in try JSONScanner.validate(truncated) } != nil)
        }
    }
}
