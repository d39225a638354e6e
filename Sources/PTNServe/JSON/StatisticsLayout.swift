/// Where each miner's element of minerstatistics.json lies, and which bytes to cut to drop its `checkpoints` member.
public struct StatisticsLayout: Sendable {
    /// One `data[]` element.
    public struct Entry: Sendable, Equatable {
        /// The element's `hotkey` string.
        public let hotkey: String
        /// The element's object bytes.
        public let range: Range<Int>
        /// Bytes whose removal leaves the element without `checkpoints` (still valid JSON), nil if it has none.
        public let checkpointsCut: Range<Int>?

        /// Creates an entry from already-located ranges.
        public init(hotkey: String, range: Range<Int>, checkpointsCut: Range<Int>?) {
            self.hotkey = hotkey
            self.range = range
            self.checkpointsCut = checkpointsCut
        }
    }

    /// The `data` array value, nil if the document has no `data` array.
    public let dataRange: Range<Int>?
    /// Elements that are objects with a string hotkey, in file order.
    public let entries: [Entry]

    /// Validates the document (which must be an object) and builds the layout.
    /// With duplicate keys the last `data` and last `hotkey` win, as in Python's `json.loads`; the first `checkpoints` is cut.
    public static func build(_ bytes: UnsafeRawBufferPointer) throws(JSONScanError) -> StatisticsLayout {
        let topLevel = try JSONScanner.objectMembers(ofDocument: bytes)
        guard let data = topLevel.last(where: { $0.key == "data" }), bytes[data.valueRange.lowerBound] == JSONByte.openBracket else {
            return StatisticsLayout(dataRange: nil, entries: [])
        }
        var entries: [Entry] = []
        for elementRange in try JSONScanner.arrayElements(in: bytes, range: data.valueRange)
        where bytes[elementRange.lowerBound] == JSONByte.openBrace {
            let members = try JSONScanner.objectMembers(in: bytes, range: elementRange)
            guard let hotkeyMember = members.last(where: { $0.key == "hotkey" }),
                let hotkey = JSONScanner.decodeString(in: bytes, range: hotkeyMember.valueRange)
            else { continue }
            let cut = members.firstIndex(where: { $0.key == "checkpoints" }).map { memberCut(members, index: $0) }
            entries.append(Entry(hotkey: hotkey, range: elementRange, checkpointsCut: cut))
        }
        return StatisticsLayout(dataRange: data.valueRange, entries: entries)
    }

    /// The member plus exactly one adjacent comma, so the rest stays a well-formed object.
    static func memberCut(_ members: [JSONMember], index: Int) -> Range<Int> {
        let member = members[index]
        if members.count == 1 { return member.keyRange.lowerBound ..< member.valueRange.upperBound }
        if index > 0 { return members[index - 1].valueRange.upperBound ..< member.valueRange.upperBound }
        return member.keyRange.lowerBound ..< members[1].keyRange.lowerBound
    }
}
