/// Turns an already-validated string token into a `String`.
enum JSONStringDecoder {
    /// Decodes the token at `range` (quotes included). Without escapes the bytes are already the UTF-8 text.
    static func decode(base: UnsafeRawPointer, range: Range<Int>, hasEscape: Bool) -> String {
        let content = UnsafeRawBufferPointer(start: base + range.lowerBound + 1, count: range.count - 2)
        guard hasEscape else { return String(decoding: content, as: UTF8.self) }
        return unescape(content)
    }

    /// Resolves escapes, pairing surrogates; a lone surrogate becomes U+FFFD because `String` cannot represent it.
    private static func unescape(_ content: UnsafeRawBufferPointer) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(content.count)
        var index = 0
        while index < content.count {
            let current = content[index]
            guard current == JSONByte.backslash else {
                output.append(current)
                index += 1
                continue
            }
            let escaped = content[index + 1]
            index += 2
            switch escaped {
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case JSONByte.lowerU:
                let scalar = decodeUnicodeEscape(content, index: &index)
                output.append(contentsOf: String(Character(scalar)).utf8)
            default: output.append(escaped)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Reads the four hex digits at `index` (just past `\u`), joining a following low-surrogate escape when present.
    private static func decodeUnicodeEscape(_ content: UnsafeRawBufferPointer, index: inout Int) -> Unicode.Scalar {
        let first = hex4(content, at: index)
        index += 4
        if (0xD800 ... 0xDBFF).contains(first), index + 6 <= content.count,
            content[index] == JSONByte.backslash, content[index + 1] == JSONByte.lowerU {
            let second = hex4(content, at: index + 2)
            if (0xDC00 ... 0xDFFF).contains(second) {
                index += 6
                let combined = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                return Unicode.Scalar(combined) ?? "\u{FFFD}"
            }
        }
        return Unicode.Scalar(first) ?? "\u{FFFD}"
    }

    private static func hex4(_ content: UnsafeRawBufferPointer, at index: Int) -> UInt32 {
        var value: UInt32 = 0
        for offset in index ..< index + 4 {
            value = value << 4 | (JSONByte.hexValue(content[offset]) ?? 0)
        }
        return value
    }
}
