import Foundation
@testable import PTNServe

/// Small helpers shared by the JSON scanner tests.
enum JSONTestSupport {
    /// The offset of the scan error `body` throws, or nil if it succeeds.
    static func errorOffset(_ body: () throws(JSONScanError) -> Void) -> Int? {
        do {
            try body()
            return nil
        } catch {
            return error.offset
        }
    }

    /// Whether Foundation accepts the bytes as a JSON document (top-level scalars allowed).
    static func foundationAccepts(_ bytes: [UInt8]) -> Bool {
        (try? JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed)) != nil
    }

    /// Foundation's parse of `bytes[range]`, scalars allowed.
    static func foundationValue(_ bytes: [UInt8], _ range: Range<Int>) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(bytes[range]), options: .fragmentsAllowed)
    }

    /// Whether two Foundation-parsed values are equal: dictionaries unordered, numbers via `NSNumber.isEqual`.
    static func sameValue(_ lhs: Any, _ rhs: Any) -> Bool {
        switch (lhs, rhs) {
        case let (left as [String: Any], right as [String: Any]):
            return left.count == right.count && left.allSatisfy { key, value in right[key].map { sameValue(value, $0) } ?? false }
        case let (left as [Any], right as [Any]):
            return left.count == right.count && zip(left, right).allSatisfy { sameValue($0, $1) }
        case let (left as String, right as String):
            return Array(left.unicodeScalars) == Array(right.unicodeScalars)
        case let (left as NSNumber, right as NSNumber):
            return left.isEqual(right)
        case (is NSNull, is NSNull):
            return true
        default:
            return false
        }
    }

    /// Whether a document our scanner accepted contains a `\u` escape of an unpaired UTF-16 surrogate.
    static func containsLoneSurrogateEscape(_ bytes: [UInt8]) -> Bool {
        var index = 0
        while index + 1 < bytes.count {
            guard bytes[index] == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            guard bytes[index + 1] == UInt8(ascii: "u"), let unit = hex4(bytes, index + 2) else {
                index += 2
                continue
            }
            if (0xDC00 ... 0xDFFF).contains(unit) { return true }
            if (0xD800 ... 0xDBFF).contains(unit) {
                let followsLow = index + 7 < bytes.count && bytes[index + 6] == UInt8(ascii: "\\") && bytes[index + 7] == UInt8(ascii: "u")
                    && hex4(bytes, index + 8).map { (0xDC00 ... 0xDFFF).contains($0) } == true
                guard followsLow else { return true }
                index += 12
            } else {
                index += 6
            }
        }
        return false
    }

    private static func hex4(_ bytes: [UInt8], _ start: Int) -> UInt32? {
        guard start + 4 <= bytes.count else { return nil }
        return UInt32(String(decoding: bytes[start ..< start + 4], as: UTF8.self), radix: 16)
    }
}
