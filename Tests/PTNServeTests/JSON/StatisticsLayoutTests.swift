import Foundation
import Testing
@testable import PTNServe

/// minerstatistics.json layout: entry ranges, hotkeys and the `checkpoints` cut.
@Suite struct StatisticsLayoutTests {
    private func layout(_ document: String) throws -> (StatisticsLayout, [UInt8]) {
        let bytes = Array(document.utf8)
        let layout = try bytes.withUnsafeBytes { buffer throws(JSONScanError) in try StatisticsLayout.build(buffer) }
        return (layout, bytes)
    }

    /// Cutting must leave valid JSON equal to the element with `checkpoints` removed.
    private func expectCutsDropCheckpoints(_ layout: StatisticsLayout, _ bytes: [UInt8]) throws {
        for entry in layout.entries {
            var expected = try #require(try JSONTestSupport.foundationValue(bytes, entry.range) as? [String: Any])
            expected["checkpoints"] = nil
            let cut = bytes.withUnsafeBytes { copyBytes($0, range: entry.range, omitting: entry.checkpointsCut.map { [$0] } ?? []) }
            #expect(throws: Never.self) { try JSONScanner.validate(cut) }
            let reparsed = try JSONSerialization.jsonObject(with: Data(cut))
            #expect(JSONTestSupport.sameValue(reparsed, expected), "\(String(decoding: cut, as: UTF8.self))")
        }
    }

    @Test(arguments: [
        ("first", "{\"checkpoints\": [1, 2], \"hotkey\": \"hk\", \"score\": 3}", "{\"hotkey\": \"hk\", \"score\": 3}"),
        ("middle", "{\"hotkey\": \"hk\", \"checkpoints\": {\"a\": [1]}, \"score\": 3}", "{\"hotkey\": \"hk\", \"score\": 3}"),
        ("last", "{\"hotkey\": \"hk\",\"score\":3,\"checkpoints\":[]}", "{\"hotkey\": \"hk\",\"score\":3}"),
        ("compact first", "{\"checkpoints\":[{\"x\":1}],\"hotkey\":\"hk\"}", "{\"hotkey\":\"hk\"}"),
    ])
    func checkpointsCutKeepsOneComma(_ name: String, element: String, expected: String) throws {
        let (layout, bytes) = try layout("{\"data\": [\(element)]}")
        let entry = try #require(layout.entries.first)
        let cut = bytes.withUnsafeBytes { copyBytes($0, range: entry.range, omitting: [entry.checkpointsCut!]) }
        #expect(String(decoding: cut, as: UTF8.self) == expected, "\(name)")
        try expectCutsDropCheckpoints(layout, bytes)
    }

    /// An element with a hotkey never has `checkpoints` alone, so the only-member rule is checked on the cut itself.
    @Test(arguments: ["{\"checkpoints\": [1]}", "{ \"checkpoints\":{} }"])
    func onlyMemberCutLeavesEmptyObject(_ element: String) throws {
        let bytes = Array(element.utf8)
        let members = try JSONScanner.objectMembers(ofDocument: bytes)
        let cut = StatisticsLayout.memberCut(members, index: 0)
        let remaining = bytes.withUnsafeBytes { copyBytes($0, range: 0 ..< bytes.count, omitting: [cut]) }
        #expect(String(decoding: remaining, as: UTF8.self).filter { $0 != " " } == "{}")
    }

    @Test func entriesRangesHotkeysAndMissingCheckpoints() throws {
        let document = "{\"version\": 2, \"data\": [{\"hotkey\": \"a\", \"checkpoints\": [1]}, 5, {\"name\": \"no hotkey\"}, "
            + "{\"hotkey\": 7}, {\"hotkey\": \"b\\u00e9\"}, [\"hotkey\"]], \"constants\": {}}"
        let (layout, bytes) = try layout(document)
        #expect(layout.entries.map(\.hotkey) == ["a", "b\u{E9}"])
        #expect(layout.entries.map { String(decoding: bytes[$0.range], as: UTF8.self) }
            == ["{\"hotkey\": \"a\", \"checkpoints\": [1]}", "{\"hotkey\": \"b\\u00e9\"}"])
        #expect(layout.entries[1].checkpointsCut == nil)
        #expect(String(decoding: bytes[layout.dataRange!], as: UTF8.self).hasPrefix("[{\"hotkey\": \"a\""))
        try expectCutsDropCheckpoints(layout, bytes)
    }

    @Test(arguments: ["{\"other\": []}", "{\"data\": {\"hotkey\": \"a\"}}", "{\"data\": null}", "{}"])
    func documentWithoutDataArrayHasNoEntries(_ document: String) throws {
        let (layout, _) = try layout(document)
        #expect(layout.dataRange == nil)
        #expect(layout.entries.isEmpty)
    }

    @Test(arguments: ["[]", "{\"data\": [", "{\"data\": []} []", "{\"data\": [{\"hotkey\": \"a\",}]}"])
    func invalidOrNonObjectDocumentsThrow(_ document: String) {
        #expect(throws: JSONScanError.self) { _ = try layout(document) }
    }

    @Test func fuzzedStatisticsDocumentsCutCleanly() throws {
        for seed in UInt64(0) ..< 200 {
            var generator = FuzzGenerator(seed: seed &+ 7_000_000)
            var elements: [FuzzValue] = []
            for index in 0 ..< Int.random(in: 0 ... 6, using: &generator.random) {
                var members = generator.object(depth: 2).filter { $0.key != "hotkey" && $0.key != "checkpoints" }
                let hotkey = FuzzMember(key: "hotkey", value: .string("hk\(index)"))
                members.insert(hotkey, at: Int.random(in: 0 ... members.count, using: &generator.random))
                if Int.random(in: 0 ..< 5, using: &generator.random) > 0 {
                    let checkpoints = FuzzValue.array([generator.value(depth: 2), .number("1.5")])
                    let member = FuzzMember(key: "checkpoints", value: checkpoints)
                    members.insert(member, at: Int.random(in: 0 ... members.count, using: &generator.random))
                }
                elements.append(.object(members))
            }
            let meta = FuzzMember(key: "meta", value: generator.value(depth: 1))
            let bytes = generator.render(.object([FuzzMember(key: "data", value: .array(elements)), meta]))
            let layout = try bytes.withUnsafeBytes { buffer throws(JSONScanError) in try StatisticsLayout.build(buffer) }
            #expect(layout.entries.map(\.hotkey) == elements.indices.map { "hk\($0)" }, "seed \(seed)")
            try expectCutsDropCheckpoints(layout, bytes)
        }
    }
}
