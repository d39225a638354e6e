import Testing

@testable import PTNServe
@testable import PTNServeDemo

@Suite("JSONValue read with the JSON scanner, and Python-style encoding")
struct JSONValueTests {
    private func fixtureBytes(_ name: String) throws -> [UInt8] {
        try DemoResources.bytes(name)
    }

    @Test(arguments: ["miner-entry-a", "miner-entry-b", "departed-hotkeys"])
    func fixturesRoundTrip(name: String) throws {
        let bytes = try fixtureBytes(name)
        let value = try JSONValue(scanning: bytes)
        #expect(try JSONValue(scanning: JSONWriter.encode(value)) == value)
        // The miner samples were captured from a jsonify response: compact, key-sorted, newline-terminated.
        if name.hasPrefix("miner-entry") {
            #expect(JSONWriter.encode(value, style: .compactSorted) + [0x0A] == bytes)
        }
    }

    @Test func fixtureNumbersKeepIntAndFloatApart() throws {
        let entry = try JSONValue(scanning: try fixtureBytes("miner-entry-a"))
        #expect(entry["n_positions"] == .int(71))
        #expect(entry["all_time_returns"] == .double(1.0645940652576342))
        let firstOrder = try #require(entry["positions"]?.arrayValue?.first?["orders"]?.arrayValue?.first)
        #expect(firstOrder["processed_ms"] == .int(1_743_772_817_444))
        #expect(firstOrder["ask"] == .double(0.0))
    }

    @Test(arguments: [
        (0.0, "0.0"), (-0.0, "-0.0"), (1e-05, "1e-05"), (7e-05, "7e-05"), (83024.24, "83024.24"),
        (1.0645940652576342, "1.0645940652576342"), (1e16, "1e+16"), (1e15, "1000000000000000.0"),
        (123456789012345.6, "123456789012345.6"), (Double.leastNonzeroMagnitude, "5e-324"), (0.0001, "0.0001"), (0.00012, "0.00012"),
        (1.5e-07, "1.5e-07"), (-2.5e-05, "-2.5e-05"), (1.7976931348623157e308, "1.7976931348623157e+308"),
        (9007199254740993.0, "9007199254740992.0"), (1e22, "1e+22"), (0.1 + 0.2, "0.30000000000000004"),
        (2604.4704088000003, "2604.4704088000003"), (Double.infinity, "Infinity"), (-Double.infinity, "-Infinity"),
        (Double.nan, "NaN"),
    ])
    func floatsMatchPythonRepr(value: Double, python: String) {
        #expect(PythonFloatFormat.format(value) == python)
    }

    @Test func defaultStyleMatchesJsonDumps() {
        let value: JSONValue = .object([
            ("b", .array([.int(1), .double(2.5), .null, .bool(true)])),
            ("a", .string("é\u{7F}\n\"x😀")),
        ])
        // Python: json.dumps({"b": [1, 2.5, None, True], "a": "é\x7f\n\"x😀"})
        let python = #"{"b": [1, 2.5, null, true], "a": "\u00e9\u007f\n\"x\ud83d\ude00"}"#
        #expect(JSONWriter.encode(value) == Array(python.utf8))
        #expect(JSONWriter.encode(value, style: .compactSorted) == Array(#"{"a":"\u00e9\u007f\n\"x\ud83d\ude00","b":[1,2.5,null,true]}"#.utf8))
    }

    @Test func scanningDecodesEscapesAndSurrogatePairs() throws {
        let value = try JSONValue(scanning: Array(#"{"k": ["\u00e9\ud83d\ude00\/\t", -12, 3E2, 0.5e-1]}"#.utf8))
        #expect(value == .object([("k", .array([.string("é😀/\t"), .int(-12), .double(300), .double(0.05)]))]))
    }

    @Test(arguments: ["[1,]", "{\"a\" 1}", "01", "[1] x", "\"a\nb\"", "tru", "{\"a\":1,}", "-", "1.", "\"\\u12G4\"", " "])
    func scanningRejectsInvalidJSON(text: String) {
        #expect(throws: JSONScanError.self) { try JSONValue(scanning: Array(text.utf8)) }
    }

    @Test func scanningKeepsPythonTokensAndSurroundingWhitespace() throws {
        // Python writes NaN and the infinities (the scanner accepts them) and a lone surrogate escape (kept as U+FFFD).
        let value = try JSONValue(scanning: Array(" \n[NaN, -Infinity, Infinity, 9223372036854775808, \"\\ud83d\", {}]\n".utf8))
        #expect(value == .array([.double(.nan), .double(-.infinity), .double(.infinity), .double(9_223_372_036_854_775_808), .string("\u{FFFD}"), .object([])]))
    }

    @Test func settingReplacesInPlaceOrAppends() {
        let value: JSONValue = .object([("a", .int(1)), ("b", .int(2))])
        #expect(value.setting("a", to: .int(9)) == .object([("a", .int(9)), ("b", .int(2))]))
        #expect(value.setting("c", to: .null) == .object([("a", .int(1)), ("b", .int(2)), ("c", .null)]))
    }
}
