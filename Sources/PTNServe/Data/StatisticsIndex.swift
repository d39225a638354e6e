import NIOCore

/// minerstatistics.json indexed by hotkey, with the `checkpoints=false` variants rendered once per version.
public struct StatisticsIndex: Sendable {
    /// The whole document without any `checkpoints` member.
    public let withoutCheckpoints: JSONBody
    /// Whether the document's `data` array has no miner.
    public let isEmpty: Bool
    private let entries: [String: Entry]

    /// One miner's element, with and without its checkpoints.
    public struct Entry: Sendable {
        public let full: EntryBody
        public let withoutCheckpoints: EntryBody
    }

    /// Indexes a document, validating it completely.
    init(document: ByteBuffer) throws {
        var entries = [String: Entry]()
        let (stripped, isEmpty) = try document.withUnsafeReadableBytes { bytes in
            let layout = try StatisticsLayout.build(bytes)
            for entry in layout.entries where entries[entry.hotkey] == nil {
                let full = document.view(at: entry.range.lowerBound, length: entry.range.count)!
                let trimmed = entry.checkpointsCut.map {
                    ByteBuffer(bytes: copyBytes(bytes, range: entry.range, omitting: [$0]))
                }
                entries[entry.hotkey] = Entry(full: EntryBody(slice: full), withoutCheckpoints: EntryBody(slice: trimmed ?? full))
            }
            let cuts = layout.entries.compactMap(\.checkpointsCut)
            let stripped = ByteBuffer(bytes: copyBytes(bytes, range: 0..<bytes.count, omitting: cuts))
            return (stripped, layout.entries.isEmpty)
        }
        self.entries = entries
        self.isEmpty = isEmpty
        self.withoutCheckpoints = JSONBody(identity: stripped)
    }

    private init(withoutCheckpoints: JSONBody, isEmpty: Bool, entries: [String: Entry]) {
        self.withoutCheckpoints = withoutCheckpoints
        self.isEmpty = isEmpty
        self.entries = entries
    }

    /// The same index with the `checkpoints=false` document's gzip form.
    func compressingWholeBody() throws -> StatisticsIndex {
        guard let stripped = withoutCheckpoints.identity, withoutCheckpoints.gzip == nil else { return self }
        let body = JSONBody(identity: stripped, gzip: try Gzip.compress(stripped))
        return StatisticsIndex(withoutCheckpoints: body, isEmpty: isEmpty, entries: entries)
    }

    /// The miner's element, or nil if the file has no such hotkey.
    public func entry(for hotkey: String) -> Entry? { entries[hotkey] }
}
