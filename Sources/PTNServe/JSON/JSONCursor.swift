/// The scanning engine: a position inside a byte range, advanced token by token while validating.
///
/// Works on a raw pointer with explicit bounds so the hot loops do no bounds-checked collection access and no allocation.
/// Nesting is tracked in a bit stack instead of recursion, so hostile depth cannot overflow the thread stack.
struct JSONCursor {
    /// Deepest container nesting accepted; deeper documents are rejected rather than risking unbounded work.
    static let maximumDepth = 512

    let base: UnsafeRawPointer
    let end: Int
    var position: Int
    /// Bit `d` is set when the container at depth `d` (1-based, relative to the value being skipped) is an object.
    private var objectBits: [UInt64]

    /// Creates a cursor over `bytes[range]`; the caller guarantees the range is non-empty and inside the buffer.
    init(base: UnsafeRawPointer, range: Range<Int>) {
        self.base = base
        self.end = range.upperBound
        self.position = range.lowerBound
        self.objectBits = [UInt64](repeating: 0, count: JSONCursor.maximumDepth / 64 + 1)
    }

    @inline(__always)
    func byte(at offset: Int) -> UInt8 { base.load(fromByteOffset: offset, as: UInt8.self) }

    @inline(__always)
    func failure(_ reason: String, at offset: Int? = nil) -> JSONScanError {
        JSONScanError(offset: offset ?? position, reason: reason)
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while position < end {
            let current = byte(at: position)
            guard current == JSONByte.space || current == JSONByte.newline || current == JSONByte.carriageReturn || current == JSONByte.tab else {
                return
            }
            position += 1
        }
    }

    /// Skips whitespace and then requires the end of the range (no trailing garbage).
    mutating func expectEnd() throws(JSONScanError) {
        skipWhitespace()
        if position < end { throw failure("unexpected data after the JSON value") }
    }

    /// Skips whitespace and consumes `expected`, or fails naming what was wanted.
    @inline(__always)
    mutating func expect(_ expected: UInt8, _ what: String) throws(JSONScanError) {
        skipWhitespace()
        guard position < end else { throw failure("unexpected end of input, expected \(what)") }
        guard byte(at: position) == expected else { throw failure("expected \(what)") }
        position += 1
    }

    /// Skips whitespace and requires the start of a string (object keys must be strings).
    @inline(__always)
    mutating func expectKeyStart() throws(JSONScanError) {
        skipWhitespace()
        guard position < end else { throw failure("unexpected end of input, expected a string key") }
        guard byte(at: position) == JSONByte.quote else { throw failure("expected a string key") }
    }

    /// Validates one value starting exactly at `position` and leaves `position` just past it.
    /// `enclosingDepth` is how many containers already surround this value, for the depth limit.
    mutating func skipValue(enclosingDepth: Int) throws(JSONScanError) {
        var depth = 0
        valueLoop: while true {
            guard position < end else { throw failure("unexpected end of input, expected a value") }
            switch byte(at: position) {
            case JSONByte.openBrace:
                try checkDepth(enclosingDepth + depth + 1)
                position += 1
                skipWhitespace()
                if position < end && byte(at: position) == JSONByte.closeBrace {
                    position += 1
                } else {
                    push(isObject: true, depth: &depth)
                    try scanMemberPrefix()
                    continue valueLoop
                }
            case JSONByte.openBracket:
                try checkDepth(enclosingDepth + depth + 1)
                position += 1
                skipWhitespace()
                if position < end && byte(at: position) == JSONByte.closeBracket {
                    position += 1
                } else {
                    push(isObject: false, depth: &depth)
                    continue valueLoop
                }
            case JSONByte.quote:
                _ = try scanString()
            default:
                try scanScalar()
            }
            // A value just ended: close every container that ends here, or move on to its next item.
            while depth > 0 {
                skipWhitespace()
                guard position < end else { throw failure("unexpected end of input inside a container") }
                let separator = byte(at: position)
                let inObject = isObject(atDepth: depth)
                if separator == JSONByte.comma {
                    position += 1
                    if inObject { try scanMemberPrefix() } else { skipWhitespace() }
                    continue valueLoop
                }
                if separator == (inObject ? JSONByte.closeBrace : JSONByte.closeBracket) {
                    position += 1
                    depth -= 1
                    continue
                }
                throw failure(inObject ? "expected ',' or '}' in object" : "expected ',' or ']' in array")
            }
            return
        }
    }

    /// Consumes `"key" :` and the whitespace before the member's value.
    @inline(__always)
    private mutating func scanMemberPrefix() throws(JSONScanError) {
        try expectKeyStart()
        _ = try scanString()
        try expect(JSONByte.colon, "':' after object key")
        skipWhitespace()
    }

    /// Fails at the opening bracket about to be entered if it would be nested deeper than the limit (empty ones count too).
    @inline(__always)
    private func checkDepth(_ nesting: Int) throws(JSONScanError) {
        if nesting > JSONCursor.maximumDepth { throw failure("nesting deeper than \(JSONCursor.maximumDepth)") }
    }

    @inline(__always)
    private mutating func push(isObject: Bool, depth: inout Int) {
        depth += 1
        let mask = UInt64(1) << UInt64(depth & 63)
        if isObject { objectBits[depth >> 6] |= mask } else { objectBits[depth >> 6] &= ~mask }
    }

    @inline(__always)
    private func isObject(atDepth depth: Int) -> Bool {
        objectBits[depth >> 6] & (UInt64(1) << UInt64(depth & 63)) != 0
    }
}
