import NIOCore

/// output.json (or a tier file) indexed by miner hotkey: each hotkey's value as a slice of the file, in file order.
public struct PositionsIndex: Sendable {
    /// Hotkeys in file order.
    public let hotkeys: [String]
    /// `/miner-hotkeys`, rendered once per version.
    public let hotkeysJSON: ByteBuffer
    private let entries: [String: LazyGzipBody]

    /// Indexes a validated document; the values are slices sharing the document's storage.
    init(document: ByteBuffer) throws {
        let members = try document.withUnsafeReadableBytes { try JSONScanner.objectMembers(ofDocument: $0) }
        var entries = [String: LazyGzipBody](minimumCapacity: members.count)
        var hotkeys = [String]()
        hotkeys.reserveCapacity(members.count)
        for member in members where entries[member.key] == nil {
            let start = document.readerIndex + member.valueRange.lowerBound
            entries[member.key] = LazyGzipBody(document.getSlice(at: start, length: member.valueRange.count)!)
            hotkeys.append(member.key)
        }
        self.entries = entries
        self.hotkeys = hotkeys
        self.hotkeysJSON = ByteBuffer(bytes: JSONText.array(ofStrings: hotkeys))
    }

    /// The miner's object, or nil if the file has no such hotkey.
    public func entry(for hotkey: String) -> LazyGzipBody? { entries[hotkey] }
}
