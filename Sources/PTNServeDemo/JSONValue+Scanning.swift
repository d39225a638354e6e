import PTNServe

extension JSONValue {
    /// Reads a whole document with the server's JSON scanner, keeping key order and Python's int/float distinction:
    /// a number without a fraction or exponent is an `.int` (a `.double` if it does not fit in 64 bits).
    init(scanning bytes: [UInt8]) throws(JSONScanError) {
        try JSONScanner.validate(bytes)
        var range = bytes.indices
        while let first = range.first, Self.isWhitespace(bytes[first]) { range = range.dropFirst() }
        while let last = range.last, Self.isWhitespace(bytes[last]) { range = range.dropLast() }
        let value = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONScanError) in try Self.value(in: buffer, range: range) }
        }
        self = try value.get()
    }

    /// The already-validated value whose bytes are exactly `range`.
    private static func value(in bytes: UnsafeRawBufferPointer, range: Range<Int>) throws(JSONScanError) -> JSONValue {
        switch bytes[range.lowerBound] {
        case UInt8(ascii: "{"):
            let members = try JSONScanner.objectMembers(in: bytes, range: range)
            return .object(try members.map { member throws(JSONScanError) in (member.key, try value(in: bytes, range: member.valueRange)) })
        case UInt8(ascii: "["):
            let elements = try JSONScanner.arrayElements(in: bytes, range: range)
            return .array(try elements.map { element throws(JSONScanError) in try value(in: bytes, range: element) })
        case UInt8(ascii: "\""):
            guard let text = JSONScanner.decodeString(in: bytes, range: range) else {
                throw JSONScanError(offset: range.lowerBound, reason: "expected a string")
            }
            return .string(text)
        default:
            return try scalar(String(decoding: bytes[range], as: UTF8.self), at: range.lowerBound)
        }
    }

    /// A number or literal token, including Python's NaN, Infinity and -Infinity.
    private static func scalar(_ token: String, at offset: Int) throws(JSONScanError) -> JSONValue {
        switch token {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null": return .null
        case "NaN": return .double(.nan)
        case "Infinity": return .double(.infinity)
        case "-Infinity": return .double(-.infinity)
        default:
            let isInteger = !token.contains { $0 == "." || $0 == "e" || $0 == "E" }
            if isInteger, let integer = Int64(token) { return .int(integer) }
            guard let number = Double(token) else { throw JSONScanError(offset: offset, reason: "expected a number") }
            return .double(number)
        }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
