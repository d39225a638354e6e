import Testing
@testable import PTNServe

/// One grammar rule per case: valid documents must pass, invalid ones must fail near the offending byte.
@Suite struct JSONScannerGrammarTests {
    static let validDocuments: [String] = [
        "{}", "[]", "\"\"", "0", "-0", "12", "-12.5", "0.5e-10", "1E+2", "1e2", "3.25E-7", "true", "false", "null",
        " \t\r\n{ \"a\" : [ 1 , 2 ] } \n", "{\"a\": {\"b\": [true, false, null]}, \"c\": \"d\"}",
        "NaN", "Infinity", "-Infinity", "[NaN, Infinity, -Infinity]", "{\"x\": NaN}",
        "\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uABCD\"", "\"\\ud83d\\ude00\"",
        "\"\\ud800\"", "\"\\udc00 lone low\"", "\"\\ud800\\u0041\"", "\"caf\u{E9} \u{1F600} \u{4E2D}\u{6587}\"",
        "[[[[[]]]]]", "{\"a\":1,\"a\":2}", "\"\u{7F}\"", "\"\u{10FFFF}\"",
    ]

    @Test(arguments: validDocuments)
    func acceptsValid(_ document: String) {
        #expect(throws: Never.self) { try JSONScanner.validate(Array(document.utf8)) }
    }

    /// Each invalid document with the offset at which the error must be reported.
    static let invalidDocuments: [(String, Int)] = [
        ("", 0), ("   ", 3), ("{", 1), ("[", 1), ("{\"a\":1", 6), ("[1, 2", 5),
        ("{\"a\":1}x", 7), ("1 2", 2), ("{} {}", 3), ("[1,]", 3), ("{\"a\":1,}", 7), ("[,1]", 1), ("{,}", 1),
        ("{\"a\" 1}", 5), ("{\"a\":1 \"b\":2}", 7), ("[1 2]", 3), ("{1: 2}", 1), ("{'a': 1}", 1), ("{\"a\"}", 4),
        ("\"abc", 0), ("[\"abc]", 1), ("\"\\x\"", 2), ("\"\\u12G4\"", 5), ("\"\\u12\"", 1), ("\"\\", 1), ("\"\\U0041\"", 2),
        ("\"a\nb\"", 2), ("\"a\tb\"", 2), ("\"\u{0}\"", 1), ("\"\u{1F}\"", 1),
        ("01", 1), ("-01", 2), ("00", 1), ("1.", 2), (".5", 0), ("-", 1), ("-.5", 1), ("+1", 0), ("1e", 2), ("1e+", 3), ("1.e5", 2),
        ("0x10", 1), ("1.5.3", 3), ("--1", 1),
        ("tru", 3), ("trux", 3), ("nul", 3), ("True", 0), ("nan", 1), ("Nan", 2), ("infinity", 0), ("-NaN", 1), ("+Infinity", 0),
        ("Infinit", 7), ("-Inf", 4),
    ]

    @Test(arguments: invalidDocuments)
    func rejectsInvalid(_ document: String, expectedOffset: Int) {
        let offset = JSONTestSupport.errorOffset { () throws(JSONScanError) in try JSONScanner.validate(Array(document.utf8)) }
        #expect(offset == expectedOffset, "\(document.debugDescription)")
    }

    /// Invalid UTF-8 inside strings, as raw bytes, with the offset of the first bad byte.
    static let invalidUTF8: [([UInt8], Int)] = [
        ([0x22, 0x80, 0x22], 1), ([0x22, 0xC3, 0x28, 0x22], 2), ([0x22, 0xC0, 0xAF, 0x22], 1), ([0x22, 0xC1, 0xBF, 0x22], 1),
        ([0x22, 0xE0, 0x80, 0xAF, 0x22], 2), ([0x22, 0xED, 0xA0, 0x80, 0x22], 2), ([0x22, 0xF0, 0x8F, 0xBF, 0xBF, 0x22], 2),
        ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 2), ([0x22, 0xF5, 0x80, 0x80, 0x80, 0x22], 1), ([0x22, 0xFF, 0x22], 1),
        ([0x22, 0xF0, 0x9F, 0x98, 0x22], 4), ([0x22, 0xE2, 0x82], 1), ([0xEF, 0xBB, 0xBF, 0x7B, 0x7D], 0),
    ]

    @Test(arguments: invalidUTF8)
    func rejectsInvalidUTF8(_ bytes: [UInt8], expectedOffset: Int) {
        #expect(JSONTestSupport.errorOffset { () throws(JSONScanError) in try JSONScanner.validate(bytes) } == expectedOffset)
    }

    @Test func acceptsValidMultiByteUTF8() {
        let bytes: [UInt8] = [
            0x22, 0xC2, 0x80, 0xE0, 0xA0, 0x80, 0xED, 0x9F, 0xBF, 0xEE, 0x80, 0x80, 0xF0, 0x90, 0x80, 0x80, 0xF4, 0x8F, 0xBF, 0xBF, 0x22,
        ]
        #expect(throws: Never.self) { try JSONScanner.validate(bytes) }
    }

    @Test func nestingUpToTheLimitIsAccepted() {
        let depth = JSONCursor.maximumDepth
        let arrays = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(throws: Never.self) { try JSONScanner.validate(Array(arrays.utf8)) }
        let mixed = String(repeating: "{\"k\":[", count: depth / 2) + "1" + String(repeating: "]}", count: depth / 2)
        #expect(throws: Never.self) { try JSONScanner.validate(Array(mixed.utf8)) }
        let members = Array(("{\"k\":" + String(repeating: "[", count: depth - 1) + String(repeating: "]", count: depth - 1) + "}").utf8)
        #expect(throws: Never.self) { try JSONScanner.objectMembers(ofDocument: members) }
    }

    @Test func nestingBeyondTheLimitIsRejected() {
        let depth = JSONCursor.maximumDepth + 1
        let arrays = Array((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8)
        #expect(JSONTestSupport.errorOffset { () throws(JSONScanError) in try JSONScanner.validate(arrays) } == depth - 1)
        let members = Array(("{\"k\":" + String(repeating: "[", count: depth - 1) + String(repeating: "]", count: depth - 1) + "}").utf8)
        #expect(JSONTestSupport.errorOffset { () throws(JSONScanError) in _ = try JSONScanner.objectMembers(ofDocument: members) } != nil)
    }

    @Test func hostileDepthFailsWithoutExhaustingTheStack() {
        let bytes = [UInt8](repeating: UInt8(ascii: "["), count: 1_000_000)
        #expect(JSONTestSupport.errorOffset { () throws(JSONScanError) in try JSONScanner.validate(bytes) } == JSONCursor.maximumDepth)
    }

    @Test func errorDescriptionNamesOffsetAndReason() {
        let error = JSONScanError(offset: 7, reason: "expected a value")
        #expect(error.description == "invalid JSON at byte 7: expected a value")
    }
}

/// Reasons matter for logs: a leading zero would otherwise surface as a vaguer "unexpected data" error at the same offset.
@Suite struct JSONScanErrorReasonTests {
    @Test(arguments: [
        ("01", "leading zero"), ("[-00]", "leading zero"), ("\"\\q\"", "escape"), ("[1,]", "expected a value"), ("\"ab", "unterminated"),
    ])
    func reasonNamesTheRule(_ document: String, expectedFragment: String) {
        #expect(throws: JSONScanError.self) { try JSONScanner.validate(Array(document.utf8)) }
        do {
            try JSONScanner.validate(Array(document.utf8))
        } catch {
            #expect(error.reason.contains(expectedFragment), "\(error)")
        }
    }
}
