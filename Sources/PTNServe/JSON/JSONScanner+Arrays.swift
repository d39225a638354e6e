/// `[UInt8]` conveniences, mainly for tests and small documents.
extension JSONScanner {
    /// Validates a whole document held in an array.
    package static func validate(_ bytes: [UInt8]) throws(JSONScanError) {
        try withBytes(bytes) { buffer throws(JSONScanError) in try validate(buffer) }
    }

    /// Validates the object document held in an array and returns its members in file order.
    package static func objectMembers(ofDocument bytes: [UInt8]) throws(JSONScanError) -> [JSONMember] {
        try withBytes(bytes) { buffer throws(JSONScanError) in try objectMembers(ofDocument: buffer) }
    }

    /// Members of the object at `range` of an array.
    package static func objectMembers(in bytes: [UInt8], range: Range<Int>) throws(JSONScanError) -> [JSONMember] {
        try withBytes(bytes) { buffer throws(JSONScanError) in try objectMembers(in: buffer, range: range) }
    }

    /// Element ranges of the array at `range` of an array.
    package static func arrayElements(in bytes: [UInt8], range: Range<Int>) throws(JSONScanError) -> [Range<Int>] {
        try withBytes(bytes) { buffer throws(JSONScanError) in try arrayElements(in: buffer, range: range) }
    }

    /// `withUnsafeBytes` rethrows untyped, so the typed error is carried out through a `Result`.
    private static func withBytes<Value>(
        _ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(JSONScanError) -> Value
    ) throws(JSONScanError) -> Value {
        let result = bytes.withUnsafeBytes { buffer in Result { () throws(JSONScanError) in try body(buffer) } }
        return try result.get()
    }
}
