import NIOCore

/// A file's entries from one source (members, or array elements by a key field), by key in file order: each a view of
/// the document, with its variants without the fields routes offer to cut.
struct KeyedEntries: Sendable {
    /// Keys in file order, without repeats.
    let keys: [String]
    /// `keys` as a JSON array, rendered once per version.
    let keysJSON: ByteBuffer
    /// An array source's array in the document (a filtered whole-file answer keeps what surrounds it); nil for members.
    let container: Range<Int>?
    private let entries: [String: Entry]

    /// One entry: its bytes, its bytes without each cut field, and its parts once a filtered request needed them.
    struct Entry: Sendable {
        let full: EntryBody
        /// Per field; an entry without the field has no variant (its `full` answers).
        let without: [String: EntryBody]
        /// `{"<key>": entry}`, made at load when a route answers the entry under its own key (`wrap: key`); else nil.
        let wrapped: EntryBody?
        /// Members and filtered items by byte range in `full`, made on first demand (see `parts(of:)`).
        let parts: EntryParts.Memo

        /// The body with `field` removed, or the whole entry.
        func body(without field: String?) -> EntryBody {
            field.flatMap { without[$0] } ?? full
        }
    }

    /// What the routes filtering these entries compare (nil: none filters them).
    let partsPlan: PartsPlan?

    /// Builds the entries of `layout` from `document`; the first of repeated keys wins. `parts` is what the routes
    /// filtering them compare; `wrapped` makes each entry's `{"<key>": entry}` form too.
    init(document: ByteBuffer, layout: EntryLayout, parts: PartsPlan?, wrapped: Bool = false) {
        var entries = [String: Entry](minimumCapacity: layout.entries.count)
        var keys = [String]()
        keys.reserveCapacity(layout.entries.count)
        document.withUnsafeReadableBytes { bytes in
            for entry in layout.entries {
                guard let key = entry.key, entries[key] == nil else { continue }
                let slice = document.view(at: entry.range.lowerBound, length: entry.range.count)!
                let full = EntryBody(slice: slice)
                let without = entry.cuts.mapValues { cut in
                    EntryBody(slice: ByteBuffer(bytes: copyBytes(bytes, range: entry.range, omitting: [cut])))
                }
                let wrappedBody = wrapped ? EntryBody(slice: Self.wrapping(slice, in: key)) : nil
                entries[key] = Entry(full: full, without: without, wrapped: wrappedBody, parts: EntryParts.Memo())
                keys.append(key)
            }
        }
        self.entries = entries
        self.keys = keys
        self.keysJSON = ByteBuffer(bytes: JSONText.array(ofStrings: keys))
        self.container = layout.container
        self.partsPlan = parts
    }

    private init(keys: [String], keysJSON: ByteBuffer, container: Range<Int>?, partsPlan: PartsPlan?, entries: [String: Entry]) {
        self.keys = keys
        self.keysJSON = keysJSON
        self.container = container
        self.partsPlan = partsPlan
        self.entries = entries
    }

    /// `{"<key>": value}` from the value's bytes.
    private static func wrapping(_ value: ByteBuffer, in key: String) -> ByteBuffer {
        let opening = "{" + JSONText.quoted(key) + ": "
        var out = ByteBufferAllocator().buffer(capacity: opening.utf8.count + value.readableBytes + 1)
        out.writeString(opening)
        out.writeImmutableBuffer(value)
        out.writeString("}")
        return out
    }

    /// Whether the source holds no entry.
    var isEmpty: Bool { keys.isEmpty }

    /// The entry under `key`, or nil.
    func entry(for key: String) -> Entry? { entries[key] }

    /// The parts of `entry`, made the first time a filtered request needs them and kept for this version (as an
    /// entry's gzip form is): a version nobody filters costs nothing, and each miner is read once per version, not
    /// once per question. Nil when no route filters these entries or the entry is not an object.
    func parts(of entry: Entry) throws -> EntryParts? {
        guard let partsPlan else { return nil }
        return try entry.parts.value { try EntryParts.build(entry.full, plan: partsPlan) }
    }

    /// The same entries each gzip-compressed on its own, so the inflated document they were sliced from can be dropped
    /// (stored `.gz` files such as PTN's tier files: 5–10× less memory).
    func compressingEntries() throws -> KeyedEntries {
        let compressed = try entries.mapValues { entry in
            Entry(
                full: try entry.full.compressed(), without: try entry.without.mapValues { try $0.compressed() },
                wrapped: try entry.wrapped?.compressed(), parts: entry.parts
            )
        }
        return KeyedEntries(keys: keys, keysJSON: keysJSON, container: container, partsPlan: partsPlan, entries: compressed)
    }
}
