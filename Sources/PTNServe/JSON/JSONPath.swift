/// Values inside a JSON value by a dotted path of member names (`orders.processed_ms`), as byte ranges: a list met
/// on the way is entered element by element, so the path names each order's time.
enum JSONPath {
    /// The ranges of the values at `path` below the value at `range`; none when a name is missing.
    static func values(_ raw: UnsafeRawBufferPointer, in range: Range<Int>, path: some StringProtocol) -> [Range<Int>] {
        var current = [range]
        for name in path.split(separator: ".") {
            current = current.flatMap { range -> [Range<Int>] in
                guard !range.isEmpty, raw[range.lowerBound] == JSONByte.openBracket else { return member(raw, in: range, named: name).map { [$0] } ?? [] }
                // A list on the way: each element's member, in one walk of the list.
                return ((try? JSONScanner.elementMemberValues(in: raw, range: range, named: [Substring(name)])) ?? []).compactMap { $0[0] }
            }
        }
        return current
    }

    /// The member `name` of the object at `range` (the last one if repeated), or nil.
    static func member(_ raw: UnsafeRawBufferPointer, in range: Range<Int>, named name: some StringProtocol) -> Range<Int>? {
        guard !range.isEmpty, raw[range.lowerBound] == JSONByte.openBrace else { return nil }
        return (try? JSONScanner.memberValues(in: raw, range: range, named: [Substring(name)]))?[0]
    }

    /// The elements of the array at `range`, or nil when it is not an array.
    static func elements(_ raw: UnsafeRawBufferPointer, in range: Range<Int>) -> [Range<Int>]? {
        guard !range.isEmpty, raw[range.lowerBound] == JSONByte.openBracket else { return nil }
        return try? JSONScanner.arrayElements(in: raw, range: range)
    }

    /// The string at `path`, or the first element's when it is a list (PTN's `trade_pair`: `["BTCUSD", ...]`).
    static func firstString(_ raw: UnsafeRawBufferPointer, in range: Range<Int>, path: some StringProtocol) -> String? {
        guard var value = values(raw, in: range, path: path).first else { return nil }
        if let first = elements(raw, in: value)?.first { value = first }
        return JSONScanner.decodeString(in: raw, range: value)
    }

    /// The value's JSON text as it is in the bytes.
    static func text(_ raw: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: raw[range]), as: UTF8.self)
    }
}
