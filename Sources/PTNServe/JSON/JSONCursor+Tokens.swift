/// Leaf tokens: strings, numbers and literals.
extension JSONCursor {
    /// Validates a string starting at the opening quote; returns whether it contains escapes (so keys can skip unescaping).
    @inline(__always)
    mutating func scanString() throws(JSONScanError) -> Bool {
        let start = position
        position += 1
        var hasEscape = false
        while true {
            // Plain printable ASCII is by far the common case: run through it without further checks.
            while position < end {
                let current = byte(at: position)
                guard current >= 0x20, current < 0x80, current != JSONByte.quote, current != JSONByte.backslash else { break }
                position += 1
            }
            guard position < end else { throw failure("unterminated string", at: start) }
            let current = byte(at: position)
            if current == JSONByte.quote {
                position += 1
                return hasEscape
            } else if current == JSONByte.backslash {
                hasEscape = true
                try scanEscape()
            } else if current < 0x20 {
                throw failure("unescaped control character in string")
            } else {
                try scanUTF8Sequence(lead: current)
            }
        }
    }

    /// Validates the escape at `position` (the backslash). Lone surrogates are accepted because Python emits them.
    private mutating func scanEscape() throws(JSONScanError) {
        guard position + 1 < end else { throw failure("unterminated escape sequence") }
        switch byte(at: position + 1) {
        case JSONByte.quote, JSONByte.backslash, JSONByte.slash,
            UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            position += 2
        case JSONByte.lowerU:
            guard position + 6 <= end else { throw failure("truncated \\u escape") }
            for offset in position + 2 ..< position + 6 where JSONByte.hexValue(byte(at: offset)) == nil {
                throw failure("\\u escape needs four hex digits", at: offset)
            }
            position += 6
        default:
            throw failure("invalid escape character", at: position + 1)
        }
    }

    /// Validates one multi-byte UTF-8 sequence (RFC 3629: no overlongs, no UTF-16 surrogates, nothing above U+10FFFF).
    private mutating func scanUTF8Sequence(lead: UInt8) throws(JSONScanError) {
        let continuationCount: Int
        var secondByteRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: continuationCount = 1
        case 0xE0: continuationCount = 2; secondByteRange = 0xA0...0xBF
        case 0xED: continuationCount = 2; secondByteRange = 0x80...0x9F
        case 0xE1...0xEF: continuationCount = 2
        case 0xF0: continuationCount = 3; secondByteRange = 0x90...0xBF
        case 0xF1...0xF3: continuationCount = 3
        case 0xF4: continuationCount = 3; secondByteRange = 0x80...0x8F
        default: throw failure("invalid UTF-8 lead byte in string")
        }
        guard position + continuationCount < end else { throw failure("truncated UTF-8 sequence in string") }
        guard secondByteRange.contains(byte(at: position + 1)) else { throw failure("invalid UTF-8 sequence in string", at: position + 1) }
        for offset in position + 2 ..< position + 1 + continuationCount where byte(at: offset) & 0xC0 != 0x80 {
            throw failure("invalid UTF-8 continuation byte in string", at: offset)
        }
        position += 1 + continuationCount
    }

    /// Validates a number or literal (including Python's NaN, Infinity and -Infinity) at `position`.
    mutating func scanScalar() throws(JSONScanError) {
        switch byte(at: position) {
        case UInt8(ascii: "t"): try scanLiteral("true")
        case UInt8(ascii: "f"): try scanLiteral("false")
        case UInt8(ascii: "n"): try scanLiteral("null")
        case UInt8(ascii: "N"): try scanLiteral("NaN")
        case UInt8(ascii: "I"): try scanLiteral("Infinity")
        case JSONByte.minus, JSONByte.zero...JSONByte.nine: try scanNumber()
        default: throw failure("unexpected character, expected a value")
        }
    }

    private mutating func scanLiteral(_ literal: StaticString) throws(JSONScanError) {
        let count = literal.utf8CodeUnitCount
        let text = literal.utf8Start
        for index in 0 ..< count {
            guard position + index < end else { throw failure("truncated literal", at: end) }
            guard byte(at: position + index) == text[index] else { throw failure("invalid literal", at: position + index) }
        }
        position += count
    }

    /// RFC 8259 number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func scanNumber() throws(JSONScanError) {
        if byte(at: position) == JSONByte.minus {
            position += 1
            if position < end && byte(at: position) == UInt8(ascii: "I") { return try scanLiteral("Infinity") }
        }
        guard position < end, isDigit(byte(at: position)) else { throw failure("expected a digit") }
        if byte(at: position) == JSONByte.zero {
            position += 1
            if position < end && isDigit(byte(at: position)) { throw failure("leading zero in number") }
        } else {
            skipDigits()
        }
        if position < end && byte(at: position) == JSONByte.dot {
            position += 1
            try requireDigits("expected a digit after the decimal point")
        }
        if position < end && (byte(at: position) == JSONByte.lowerE || byte(at: position) == JSONByte.upperE) {
            position += 1
            if position < end && (byte(at: position) == JSONByte.plus || byte(at: position) == JSONByte.minus) { position += 1 }
            try requireDigits("expected a digit in the exponent")
        }
    }

    @inline(__always)
    private func isDigit(_ value: UInt8) -> Bool { value >= JSONByte.zero && value <= JSONByte.nine }

    @inline(__always)
    private mutating func skipDigits() {
        while position < end && isDigit(byte(at: position)) { position += 1 }
    }

    private mutating func requireDigits(_ reason: String) throws(JSONScanError) {
        guard position < end, isDigit(byte(at: position)) else { throw failure(reason) }
        skipDigits()
    }
}
