import NIOCore

/// output.json (or a tier file) indexed by miner hotkey, in file order.
public struct PositionsIndex: Sendable {
    /// Hotkeys in file order.
    public let hotkeys: [String]
    /// `/miner-hotkeys`, rendered once per version.
    public let hotkeysJSON: ByteBuffer
    private let entries: [String: EntryBody]

    /// Indexes a validated document: each miner's object is a slice sharing the document's storage.
    init(document: ByteBuffer) throws {
        let members = try document.withUnsafeReadableBytes { try JSONScanner.objectMembers(ofDocument: $0) }
        var entries = [String: EntryBody](minimumCapacity: members.count)
        var hotkeys = [String]()
        hotkeys.reserveCapacity(members.count)
        for member in members where entries[member.key] == nil {
            let slice = document.view(at: member.valueRange.lowerBound, length: member.valueRange.count)!
            entries[member.key] = EntryBody(slice: slice)
            hotkeys.append(member.key)
        }
        self.entries = entries
        self.hotkeys = hotkeys
        self.hotkeysJSON = ByteBuffer(bytes: JSONText.array(ofStrings: hotkeys))
    }

    private init(hotkeys: [String], hotkeysJSON: ByteBuffer, entries: [String: EntryBody]) {
        self.hotkeys = hotkeys
        self.hotkeysJSON = hotkeysJSON
        self.entries = entries
    }

    /// The same index with each miner's object gzip-compressed on its own, so the inflated document it was sliced from
    /// can be dropped (tier files: 5–10× less memory).
    func compressingEntries() throws -> PositionsIndex {
        PositionsIndex(hotkeys: hotkeys, hotkeysJSON: hotkeysJSON, entries: try entries.mapValues { try $0.compressed() })
    }

    /// The miner's object, or nil if the file has no such hotkey.
    public func entry(for hotkey: String) -> EntryBody? { entries[hotkey] }
}
