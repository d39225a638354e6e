import NIOCore

/// A file's entries from one source (members, or array elements by a key field), by key in file order: each a view of
/// the document, with its variants without the fields routes offer to cut.
public struct KeyedEntries: Sendable {
    /// Keys in file order, without repeats.
    public let keys: [String]
    /// `keys` as a JSON array, rendered once per version.
    public let keysJSON: ByteBuffer
    /// An array source's array in the document (a filtered whole-file answer keeps what surrounds it); nil for members.
    let container: Range<Int>?
    private let entries: [String: Entry]

    /// One entry: its bytes, its bytes without each cut field, and its parts when routes filter it.
    public struct Entry: Sendable {
        public let full: EntryBody
        /// Per field; an entry without the field has no variant (its `full` answers).
        public let without: [String: EntryBody]
        /// Members and filtered items by byte range in `full`, from the compression pass on (nil before it, when no
        /// route filters this source, or when the entry is not an object).
        let parts: EntryParts?

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
                entries[key] = Entry(full: full, without: without, parts: nil)
                keys.append(key)
            }
        }
        self.entries = entries
        self.keys = keys
        self.keysJSON = ByteBuffer(bytes: JSONText.array(ofStrings: keys))
        self.container = layout.container
    }

    private init(keys: [String], keysJSON: ByteBuffer, container: Range<Int>?, entries: [String: Entry]) {
        self.keys = keys
        self.keysJSON = keysJSON
        self.container = container
        self.entries = entries
    }

    /// Whether the source holds no entry.
    public var isEmpty: Bool { keys.isEmpty }

    /// The entry under `key`, or nil.
    public func entry(for key: String) -> Entry? { entries[key] }

    /// The same entries with their parts for `plan` (made from the plain bytes, before any compression).
    func addingParts(_ plan: EntryParts.Plan) throws -> KeyedEntries {
        let withParts = try entries.mapValues { entry in
            Entry(full: entry.full, without: entry.without, parts: try EntryParts.build(entry.full, plan: plan))
        }
        return KeyedEntries(keys: keys, keysJSON: keysJSON, container: container, entries: withParts)
    }

    /// The same entries each gzip-compressed on its own, so the inflated document they were sliced from can be dropped
    /// (stored `.gz` files such as PTN's tier files: 5–10× less memory).
    func compressingEntries() throws -> KeyedEntries {
        let compressed = try entries.mapValues { entry in
            Entry(full: try entry.full.compressed(), without: try entry.without.mapValues { try $0.compressed() }, parts: entry.parts)
        }
        return KeyedEntries(keys: keys, keysJSON: keysJSON, container: container, entries: compressed)
    }
}
