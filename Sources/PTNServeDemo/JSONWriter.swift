/// Serializes `JSONValue` byte-for-byte like Python's `json.dumps` (default style) or Flask's `jsonify` body (compact, sorted).
struct JSONWriter {
    /// Separator and key-order conventions of the two Python writers PTN uses.
    enum Style {
        /// `json.dumps(x)`: `", "` and `": "`, insertion order (the validator's output files).
        case pythonDefault
        /// `json.dumps(x, separators=(",", ":"), sort_keys=True)`: what `jsonify` returns (and the fixtures hold).
        case compactSorted
    }

    private let style: Style
    private var output: [UInt8] = []

    static func encode(_ value: JSONValue, style: Style = .pythonDefault) -> [UInt8] {
        var writer = JSONWriter(style: style)
        writer.write(value)
        return writer.output
    }

    /// `{"key": value, ...}` in `.pythonDefault` style from members whose values are already encoded.
    static func object(_ members: [(String, [UInt8])]) -> [UInt8] {
        var writer = JSONWriter(style: .pythonDefault)
        writer.output.append(UInt8(ascii: "{"))
        for (position, member) in members.enumerated() {
            if position > 0 { writer.output.append(contentsOf: writer.itemSeparator.utf8) }
            writer.writeString(member.0)
            writer.output.append(contentsOf: writer.keySeparator.utf8)
            writer.output.append(contentsOf: member.1)
        }
        writer.output.append(UInt8(ascii: "}"))
        return writer.output
    }

    /// `[a, b, ...]` in `.pythonDefault` style from already encoded items.
    static func array(_ items: [[UInt8]]) -> [UInt8] {
        Array("[".utf8) + Array(items.joined(separator: Array(", ".utf8))) + Array("]".utf8)
    }

    private init(style: Style) {
        self.style = style
        output.reserveCapacity(1 << 16)
    }

    private var itemSeparator: String { style == .pythonDefault ? ", " : "," }
    private var keySeparator: String { style == .pythonDefault ? ": " : ":" }

    private mutating func write(_ value: JSONValue) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let number): output.append(contentsOf: String(number).utf8)
        case .double(let number): output.append(contentsOf: PythonFloatFormat.format(number).utf8)
        case .string(let text): writeString(text)
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (position, item) in items.enumerated() {
                if position > 0 { output.append(contentsOf: itemSeparator.utf8) }
                write(item)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let pairs):
            output.append(UInt8(ascii: "{"))
            // Python sorts keys by code point, which is what comparing unicode scalars does.
            let ordered = style == .compactSorted
                ? pairs.sorted { $0.0.unicodeScalars.lexicographicallyPrecedes($1.0.unicodeScalars) } : pairs
            for (position, pair) in ordered.enumerated() {
                if position > 0 { output.append(contentsOf: itemSeparator.utf8) }
                writeString(pair.0)
                output.append(contentsOf: keySeparator.utf8)
                write(pair.1)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Python's `ensure_ascii=True` escaping: printable ASCII verbatim, everything else as `\uXXXX` (UTF-16 units).
    private mutating func writeString(_ text: String) {
        output.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output.append(contentsOf: #"\""#.utf8)
            case "\\": output.append(contentsOf: #"\\"#.utf8)
            case "\n": output.append(contentsOf: #"\n"#.utf8)
            case "\r": output.append(contentsOf: #"\r"#.utf8)
            case "\t": output.append(contentsOf: #"\t"#.utf8)
            case "\u{08}": output.append(contentsOf: #"\b"#.utf8)
            case "\u{0C}": output.append(contentsOf: #"\f"#.utf8)
            case " "..."~": output.append(UInt8(scalar.value))
            default:
                for unit in String(scalar).utf16 { appendUnicodeEscape(unit) }
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    private mutating func appendUnicodeEscape(_ unit: UInt16) {
        let hex = Array("0123456789abcdef".utf8)
        output.append(contentsOf: #"\u"#.utf8)
        for shift in stride(from: 12, through: 0, by: -4) {
            output.append(hex[Int((unit >> UInt16(shift)) & 0xF)])
        }
    }
}
