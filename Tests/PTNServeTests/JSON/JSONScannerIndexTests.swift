import Testing
@testable import PTNServe

/// Byte ranges and keys reported by objectMembers and arrayElements.
@Suite struct JSONScannerIndexTests {
    private func text(_ bytes: [UInt8], _ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    @Test func membersOfPythonStyleDocument() throws {
        let bytes = Array("{\"alpha\": 1, \"beta\": [1, {\"x\": null}], \"gamma\": {\"k\": \"v\"}, \"delta\": \"s\"}".utf8)
        let members = try JSONScanner.objectMembers(ofDocument: bytes)
        #expect(members.map(\.key) == ["alpha", "beta", "gamma", "delta"])
        #expect(members.map { text(bytes, $0.keyRange) } == ["\"alpha\"", "\"beta\"", "\"gamma\"", "\"delta\""])
        #expect(members.map { text(bytes, $0.valueRange) } == ["1", "[1, {\"x\": null}]", "{\"k\": \"v\"}", "\"s\""])
    }

    @Test func membersOfCompactDocumentWithSurroundingWhitespace() throws {
        let bytes = Array(" \n{\"a\":true,\"b\":-1.5e3}\n".utf8)
        let members = try JSONScanner.objectMembers(ofDocument: bytes)
        #expect(members == [
            JSONMember(key: "a", keyRange: 3 ..< 6, valueRange: 7 ..< 11),
            JSONMember(key: "b", keyRange: 12 ..< 15, valueRange: 16 ..< 22),
        ])
    }

    @Test func emptyObjectHasNoMembers() throws {
        #expect(try JSONScanner.objectMembers(ofDocument: Array("{ }".utf8)).isEmpty)
    }

    @Test func duplicateKeysAreAllKeptInOrder() throws {
        let members = try JSONScanner.objectMembers(ofDocument: Array("{\"a\": 1, \"b\": 2, \"a\": 3}".utf8))
        #expect(members.map(\.key) == ["a", "b", "a"])
    }

    @Test func escapedKeysAreDecoded() throws {
        let document = "{\"plain\": 0, \"tab\\there\": 1, \"\\u00e9t\\u00E9\": 2, \"\\ud83d\\ude00\": 3, \"q\\\"\\\\\\/\": 4, "
            + "\"lone\\ud800x\": 5, \"\\b\\f\\n\\r\": 6, \"caf\u{E9}\": 7}"
        let keys = try JSONScanner.objectMembers(ofDocument: Array(document.utf8)).map(\.key)
        #expect(keys == ["plain", "tab\there", "\u{E9}t\u{E9}", "\u{1F600}", "q\"\\/", "lone\u{FFFD}x", "\u{08}\u{0C}\n\r", "caf\u{E9}"])
    }

    @Test func documentThatIsNotAnObjectIsRejected() {
        for document in ["[1]", "\"a\"", "1", ""] {
            let bytes = Array(document.utf8)
            let offset = JSONTestSupport.errorOffset { () throws(JSONScanError) in _ = try JSONScanner.objectMembers(ofDocument: bytes) }
            #expect(offset == 0, "\(document)")
        }
    }

    @Test func objectMembersOfDocumentStillValidatesEverything() {
        let offset = JSONTestSupport.errorOffset { () throws(JSONScanError) in
            _ = try JSONScanner.objectMembers(ofDocument: Array("{\"a\": [1, 2,], \"b\": 2}".utf8))
        }
        #expect(offset == 12)
        let trailing = Array("{\"a\": 1} x".utf8)
        #expect(JSONTestSupport.errorOffset { () throws(JSONScanError) in _ = try JSONScanner.objectMembers(ofDocument: trailing) } == 9)
    }

    @Test func membersInsideARange() throws {
        let bytes = Array("{\"outer\": {\"x\": [1, 2], \"y\": {}}, \"z\": 0}".utf8)
        let outer = try JSONScanner.objectMembers(ofDocument: bytes)[0]
        let inner = try JSONScanner.objectMembers(in: bytes, range: outer.valueRange)
        #expect(inner.map(\.key) == ["x", "y"])
        #expect(inner.map { text(bytes, $0.valueRange) } == ["[1, 2]", "{}"])
    }

    @Test func elementsInsideARange() throws {
        let bytes = Array("{\"list\": [1, \"two\", [3], {\"four\": 4}, null, -Infinity]}".utf8)
        let list = try JSONScanner.objectMembers(ofDocument: bytes)[0]
        let elements = try JSONScanner.arrayElements(in: bytes, range: list.valueRange)
        #expect(elements.map { text(bytes, $0) } == ["1", "\"two\"", "[3]", "{\"four\": 4}", "null", "-Infinity"])
        #expect(try JSONScanner.arrayElements(in: Array("[]".utf8), range: 0 ..< 2).isEmpty)
    }

    @Test func rangeEntryPointsRejectWrongKindsAndBadRanges() {
        let bytes = Array("[1, 2] {\"a\": 1}".utf8)
        let cases: [(String, () throws(JSONScanError) -> Void)] = [
            ("object at array", { () throws(JSONScanError) in _ = try JSONScanner.objectMembers(in: bytes, range: 0 ..< 6) }),
            ("array at object", { () throws(JSONScanError) in _ = try JSONScanner.arrayElements(in: bytes, range: 7 ..< 15) }),
            ("range past end", { () throws(JSONScanError) in _ = try JSONScanner.arrayElements(in: bytes, range: 0 ..< 99) }),
            ("cut-short range", { () throws(JSONScanError) in _ = try JSONScanner.arrayElements(in: bytes, range: 0 ..< 5) }),
            ("extra bytes in range", { () throws(JSONScanError) in _ = try JSONScanner.arrayElements(in: bytes, range: 0 ..< 8) }),
            ("empty range", { () throws(JSONScanError) in _ = try JSONScanner.objectMembers(in: bytes, range: 3 ..< 3) }),
        ]
        for (name, body) in cases {
            #expect(JSONTestSupport.errorOffset(body) != nil, "\(name)")
        }
    }

    @Test func decodeStringAcceptsOnlyExactStringTokens() {
        let bytes = Array("[\"a\\nb\", 12, \"open]".utf8)
        bytes.withUnsafeBytes { buffer in
            #expect(JSONScanner.decodeString(in: buffer, range: 1 ..< 7) == "a\nb")
            #expect(JSONScanner.decodeString(in: buffer, range: 9 ..< 11) == nil)
            #expect(JSONScanner.decodeString(in: buffer, range: 1 ..< 9) == nil)
            #expect(JSONScanner.decodeString(in: buffer, range: 13 ..< 19) == nil)
        }
    }

    @Test func copyBytesLeavesOutCuts() {
        let bytes = Array("0123456789".utf8)
        bytes.withUnsafeBytes { buffer in
            #expect(copyBytes(buffer, range: 0 ..< 10, omitting: []) == Array("0123456789".utf8))
            #expect(copyBytes(buffer, range: 1 ..< 9, omitting: [2 ..< 4, 6 ..< 7]) == Array("14578".utf8))
            #expect(copyBytes(buffer, range: 1 ..< 9, omitting: [1 ..< 9]) == [])
            #expect(copyBytes(buffer, range: 0 ..< 10, omitting: [0 ..< 1, 9 ..< 10]) == Array("12345678".utf8))
        }
    }
}
