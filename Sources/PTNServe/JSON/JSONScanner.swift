/// Validating byte-level scanner (RFC 8259, plus Python's NaN, Infinity and -Infinity tokens, which PTN's writer may emit).
package enum JSONScanner {
    /// Validates a whole document: exactly one value surrounded by optional whitespace.
    package static func validate(_ bytes: UnsafeRawBufferPointer) throws(JSONScanError) {
        var cursor = try makeCursor(bytes, range: 0 ..< bytes.count)
        cursor.skipWhitespace()
        try cursor.skipValue(enclosingDepth: 0)
        try cursor.expectEnd()
    }

    /// Validates the whole document, which must be an object, and returns its members in file order.
    package static func objectMembers(ofDocument bytes: UnsafeRawBufferPointer) throws(JSONScanError) -> [JSONMember] {
        var cursor = try makeCursor(bytes, range: 0 ..< bytes.count)
        cursor.skipWhitespace()
        let members = try cursor.scanObjectMembers(enclosingDepth: 0)
        try cursor.expectEnd()
        return members
    }

    /// Members of the object whose bytes are exactly `range` (already validated), in order.
    package static func objectMembers(in bytes: UnsafeRawBufferPointer, range: Range<Int>) throws(JSONScanError) -> [JSONMember] {
        var cursor = try makeCursor(bytes, range: range)
        let members = try cursor.scanObjectMembers(enclosingDepth: 0)
        try cursor.expectEnd()
        return members
    }

    /// Per name, the value of the last member of that name of the object whose bytes are exactly `range`, or nil.
    package static func memberValues(in bytes: UnsafeRawBufferPointer, range: Range<Int>, named names: [Substring]) throws(JSONScanError) -> [Range<Int>?] {
        var cursor = try makeCursor(bytes, range: range)
        let values = try cursor.scanMemberValues(named: names, enclosingDepth: 0)
        try cursor.expectEnd()
        return values
    }

    /// For each object element of the array whose bytes are exactly `range`, its member values named `names`.
    package static func elementMemberValues(in bytes: UnsafeRawBufferPointer, range: Range<Int>, named names: [Substring]) throws(JSONScanError) -> [[Range<Int>?]] {
        var cursor = try makeCursor(bytes, range: range)
        let values = try cursor.scanElementMemberValues(named: names, enclosingDepth: 0)
        try cursor.expectEnd()
        return values
    }

    /// Element ranges of the array whose bytes are exactly `range`, in order.
    package static func arrayElements(in bytes: UnsafeRawBufferPointer, range: Range<Int>) throws(JSONScanError) -> [Range<Int>] {
        var cursor = try makeCursor(bytes, range: range)
        let elements = try cursor.scanArrayElements(enclosingDepth: 0)
        try cursor.expectEnd()
        return elements
    }

    /// Decodes the string token whose bytes are exactly `range` (quotes included), or nil if it is not a valid string.
    package static func decodeString(in bytes: UnsafeRawBufferPointer, range: Range<Int>) -> String? {
        guard var cursor = try? makeCursor(bytes, range: range), cursor.byte(at: range.lowerBound) == JSONByte.quote,
            let hasEscape = try? cursor.scanString(), cursor.position == range.upperBound
        else { return nil }
        return JSONStringDecoder.decode(base: cursor.base, range: range, hasEscape: hasEscape)
    }

    /// Bounds-checks `range` once up front so the cursor can read without per-byte checks.
    private static func makeCursor(_ bytes: UnsafeRawBufferPointer, range: Range<Int>) throws(JSONScanError) -> JSONCursor {
        guard range.lowerBound >= 0, range.upperBound <= bytes.count else {
            throw JSONScanError(offset: range.lowerBound, reason: "range \(range) outside a buffer of \(bytes.count) bytes")
        }
        guard let base = bytes.baseAddress, !range.isEmpty else {
            throw JSONScanError(offset: range.lowerBound, reason: "unexpected end of input, expected a value")
        }
        return JSONCursor(base: base, range: range)
    }
}
