import NIOCore

/// output.json (or a tier file) indexed by miner hotkey, in file order.
public struct PositionsIndex: Sendable {
    /// Hotkeys in file order.
    public let hotkeys: [String]
    /// `/miner-hotkeys`, rendered once per version.
    public let hotkeysJSON: ByteBuffer
    private let entries: [String: EntryBody]

    /// How the miners' objects are held.
    enum Storage {
        /// Slices sharing the document's storage (output.json, whose whole document is served too).
        case slices
        /// Each miner's object gzip-compressed on its own, so the inflated document can be dropped (tier files).
        case compressed
    }

    /// Indexes a validated document.
    init(document: ByteBuffer, storage: Storage) throws {
        let members = try document.withUnsafeReadableBytes { try JSONScanner.objectMembers(ofDocument: $0) }
        var entries = [String: EntryBody](minimumCapacity: members.count)
        var hotkeys = [String]()
        hotkeys.reserveCapacity(members.count)
        for member in members where entries[member.key] == nil {
            let slice = document.getSlice(at: document.readerIndex + member.valueRange.lowerBound, length: member.valueRange.count)!
            entries[member.key] = try storage == .slices ? EntryBody(slice: slice) : EntryBody(compressing: slice)
            hotkeys.append(member.key)
        }
        self.entries = entries
        self.hotkeys = hotkeys
        self.hotkeysJSON = ByteBuffer(bytes: JSONText.array(ofStrings: hotkeys))
    }

    /// The miner's object, or nil if the file has no such hotkey.
    public func entry(for hotkey: String) -> EntryBody? { entries[hotkey] }
}
