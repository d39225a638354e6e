import NIOCore

/// A file's entries from one source (members, or array elements by a key field), by key in file order: each a view of
/// the document, with its variants without the fields routes offer to cut.
public struct KeyedEntries: Sendable {
    /// Keys in file order, without repeats.
    public let keys: [String]
    /// `keys` as a JSON array, rendered once per version.
    public let keysJSON: ByteBuffer
    private let entries: [String: Entry]

    /// One entry: its bytes, and its bytes without each cut field.
    public struct Entry: Sendable {
        public let full: EntryBody
        /// Per field; an entry without the field has no variant (its `full` answers).
        public let without: [String: EntryBody]

        /// The body with `field` removed, or the whole entry.
        public func body(without field: String?) -> EntryBody {
            field.flatMap { without[$0] } ?? full
        }
    }

    /// Builds the entries of `layout` from `document`; the first of repeated keys wins.
    init(document: ByteBuffer, layout: EntryLayout) {
        var entries = [String: Entry](minimumCapacity: layout.entries.count)
        var keys = [String]()
        keys.reserveCapacity(layout.entries.count)
        document.withUnsafeReadableBytes { bytes in
            for entry in layout.entries {
                guard let key = entry.key, entries[key] == nil else { continue }
                let full = EntryBody(slice: document.view(at: entry.range.lowerBound, length: entry.range.count)!)
                let without = entry.cuts.mapValues { cut in
                    EntryBody(slice: ByteBuffer(bytes: copyBytes(bytes, range: entry.range, omitting: [cut])))
                }
                entries[key] = Entry(full: full, without: without)
                keys.append(key)
            }
        }
        self.entries = entries
        self.keys = keys
        self.keysJSON = ByteBuffer(bytes: JSONText.array(ofStrings: keys))
    }

    private init(keys: [String], keysJSON: ByteBuffer, entries: [String: Entry]) {
        self.keys = keys
        self.keysJSON = keysJSON
        self.entries = entries
    }

    /// Whether the source holds no entry.
    public var isEmpty: Bool { keys.isEmpty }

    /// The entry under `key`, or nil.
    public func entry(for key: String) -> Entry? { entries[key] }

    /// The same entries each gzip-compressed on its own, so the inflated document they were sliced from can be dropped
    /// (stored `.gz` files such as PTN's tier files: 5–10× less memory).
    func compressingEntries() throws -> KeyedEntries {
        let compressed = try entries.mapValues { entry in
            Entry(full: try entry.full.compressed(), without: try entry.without.mapValues { try $0.compressed() })
        }
        return KeyedEntries(keys: keys, keysJSON: keysJSON, entries: compressed)
    }
}
