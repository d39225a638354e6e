import Foundation
import Testing
@testable import PTNServe

/// Entry layouts: minerstatistics.json's `data` elements by hotkey with the `checkpoints` cut, top-level members,
/// dotted array paths, and documents of the wrong shape.
@Suite struct EntryLayoutTests {
    static let statistics = EntrySource.array(path: "data", key: "hotkey")

    private func layout(_ document: String, _ source: EntrySource = statistics) throws -> (EntryLayout, [UInt8]) {
        let bytes = Array(document.utf8)
        return (try Self.build(bytes, source), bytes)
    }

    static func build(_ bytes: [UInt8], _ source: EntrySource = statistics) throws -> EntryLayout {
        try bytes.withUnsafeBytes { buffer in try EntryLayout.build(buffer, source: source, cutting: ["checkpoints"]) }
    }

    /// Cutting must leave valid JSON equal to the element with `checkpoints` removed.
    private func expectCutsDropCheckpoints(_ layout: EntryLayout, _ bytes: [UInt8]) throws {
        for entry in layout.entries {
            var expected = try #require(try JSONTestSupport.foundationValue(bytes, entry.range) as? [String: Any])
            expected["checkpoints"] = nil
            let cut = bytes.withUnsafeBytes { copyBytes($0, range: entry.range, omitting: entry.cuts["checkpoints"].map { [$0] } ?? []) }
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
        let cut = bytes.withUnsafeBytes { copyBytes($0, range: entry.range, omitting: [entry.cuts["checkpoints"]!]) }
        #expect(String(decoding: cut, as: UTF8.self) == expected, "\(name)")
        try expectCutsDropCheckpoints(layout, bytes)
    }

    /// An element with a hotkey never has `checkpoints` alone, so the only-member rule is checked on the cut itself.
    @Test(arguments: ["{\"checkpoints\": [1]}", "{ \"checkpoints\":{} }"])
    func onlyMemberCutLeavesEmptyObject(_ element: String) throws {
        let bytes = Array(element.utf8)
        let members = try JSONScanner.objectMembers(ofDocument: bytes)
        let cut = EntryLayout.memberCut(members, index: 0)
        let remaining = bytes.withUnsafeBytes { copyBytes($0, range: 0 ..< bytes.count, omitting: [cut]) }
        #expect(String(decoding: remaining, as: UTF8.self).filter { $0 != " " } == "{}")
    }

    @Test func entriesRangesHotkeysAndMissingCheckpoints() throws {
        let document = "{\"version\": 2, \"data\": [{\"hotkey\": \"a\", \"checkpoints\": [1]}, 5, {\"name\": \"no hotkey\"}, "
            + "{\"hotkey\": 7}, {\"hotkey\": \"b\\u00e9\"}, [\"hotkey\"]], \"constants\": {}}"
        let (layout, bytes) = try layout(document)
        #expect(layout.entries.map(\.key) == ["a", "b\u{E9}"])
        #expect(layout.entries.map { String(decoding: bytes[$0.range], as: UTF8.self) }
            == ["{\"hotkey\": \"a\", \"checkpoints\": [1]}", "{\"hotkey\": \"b\\u00e9\"}"])
        #expect(layout.entries[1].cuts.isEmpty)
        try expectCutsDropCheckpoints(layout, bytes)
    }

    @Test(arguments: [
        ("{\"other\": []}", "the file has no \"data\""), ("{\"data\": {\"hotkey\": \"a\"}}", "\"data\" is not an array"),
        ("{\"data\": null}", "\"data\" is not an array"), ("{}", "the file has no \"data\""), ("[]", "the file's top level is not an object"),
    ])
    func documentWithoutDataArrayIsTheWrongShape(_ document: String, _ reason: String) throws {
        #expect(throws: EntryLayout.ShapeError(description: reason)) { _ = try layout(document) }
    }

    @Test(arguments: ["{\"data\": [", "{\"data\": []} []", "{\"data\": [{\"hotkey\": \"a\",}]}"])
    func invalidDocumentsThrow(_ document: String) {
        #expect(throws: JSONScanError.self) { _ = try layout(document) }
    }

    @Test("top-level members: every member in order, repeated names kept (the index keeps the first)")
    func members() throws {
        let (layout, bytes) = try layout(#"{"a": {"checkpoints": 1, "x": 2}, "b": [], "a": 3}"#, .members)
        #expect(layout.entries.map(\.key) == ["a", "b", "a"])
        #expect(layout.entries.map { String(decoding: bytes[$0.range], as: UTF8.self) } == [#"{"checkpoints": 1, "x": 2}"#, "[]", "3"])
        #expect(layout.entries[0].cuts["checkpoints"] != nil && layout.entries[1].cuts.isEmpty)
        #expect(throws: EntryLayout.ShapeError(description: "the file's top level is not an object")) { _ = try self.layout("[1]", .members) }
    }

    @Test("a dotted array path walks objects, the last of repeated names winning; \"\" is the document itself")
    func dottedPaths() throws {
        let nested = #"{"result": {"miners": [{"uid": "1"}], "miners": [{"uid": "2"}, {"uid": 3}]}}"#
        let (miners, _) = try layout(nested, .array(path: "result.miners", key: "uid"))
        #expect(miners.entries.map(\.key) == ["2"])
        let (top, _) = try layout(#"[{"uid": "a"}, 1, {"uid": "b"}]"#, .array(path: "", key: "uid"))
        #expect(top.entries.map(\.key) == ["a", "b"])
        let (unkeyed, _) = try layout(#"[{"uid": "a"}, 1, {"other": true}]"#, .array(path: "", key: nil))
        #expect(unkeyed.entries.count == 2 && unkeyed.entries.allSatisfy { $0.key == nil })
        #expect(throws: EntryLayout.ShapeError(description: "\"result.x\" is not an object")) {
            _ = try self.layout(#"{"result": {"x": 1}}"#, .array(path: "result.x.y", key: "uid"))
        }
    }

    @Test("a nested object's members by name, at a dotted path; anything else there is a shape error naming the path")
    func nestedObjectMembers() throws {
        let document = #"{"summary": {"n": 2}, "ledgers": {"hk1": {"checkpoints": [1]}, "hk2": [2]}}"#
        let (layout, bytes) = try layout(document, .object(path: "ledgers"))
        #expect(layout.entries.map(\.key) == ["hk1", "hk2"])
        #expect(layout.entries.map { String(decoding: bytes[$0.range], as: UTF8.self) } == [#"{"checkpoints": [1]}"#, "[2]"])
        #expect(layout.entries[0].cuts["checkpoints"] != nil && layout.container == nil)
        let (deeper, _) = try self.layout(#"{"a": {"b": {"x": 1}}}"#, .object(path: "a.b"))
        #expect(deeper.entries.map(\.key) == ["x"])
        #expect(throws: EntryLayout.ShapeError(description: "\"summary.n\" is not an object")) {
            _ = try self.layout(document, .object(path: "summary.n"))
        }
        #expect(throws: EntryLayout.ShapeError(description: "the file has no \"ledger\"")) { _ = try self.layout(document, .object(path: "ledger")) }
        #expect(throws: EntryLayout.ShapeError(description: "the file's top level is not an object")) {
            _ = try self.layout("[1]", .object(path: "ledgers"))
        }
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
            let layout = try Self.build(bytes)
            #expect(layout.entries.map(\.key) == elements.indices.map { "hk\($0)" }, "seed \(seed)")
            try expectCutsDropCheckpoints(layout, bytes)
        }
    }
}
