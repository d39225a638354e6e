import NIOCore

/// The per-entry work of a diff: hashes each changed entry's items and own members, and says what changed.
struct VersionDiffer {
    let file: FollowedFile
    let old: [String: EntryDigest]
    /// False on a first load: digests only, no events.
    let announce: Bool
    var events: [ChangeEvent] = []
    var upserts: [String: EntryDigest] = [:]

    init(file: FollowedFile, old: [String: EntryDigest], announce: Bool) {
        self.file = file
        self.old = old
        self.announce = announce
    }

    mutating func compare(key: String, bytes: ByteBuffer) {
        bytes.withUnsafeReadableBytes { raw in
            let hash = ByteHash.of(raw, 0 ..< raw.count)
            let before = old[key]
            guard before?.hash != hash else { return }
            guard let items = file.items else {
                upserts[key] = EntryDigest(hash: hash)
                if announce {
                    events.append(event(before == nil ? .keyAdded : .keyChanged, key: key, body: bytes))
                }
                return
            }
            // One walk of the entry gives its own members and where its items are.
            let layout = Self.layout(raw, itemsPath: items.path)
            var digests = [String: UInt64]()
            var facets = [String: String]()
            for item in Self.items(raw, in: layout.items, key: items.key) {
                let itemHash = ByteHash.of(raw, item.range)
                guard digests.updateValue(itemHash, forKey: item.key) == nil else { continue }
                let facet = items.facet.flatMap { JSONPath.firstString(raw, in: item.range, path: $0.path) }
                facets[item.key] = facet
                guard announce else { continue }
                let previous = before?.items[item.key]
                guard previous != itemHash else { continue }
                let itemBytes = ByteBuffer(bytes: UnsafeRawBufferPointer(rebasing: raw[item.range]))
                events.append(event(
                    previous == nil ? .itemAdded : .itemChanged, key: key, itemKey: item.key, facet: facet, body: itemBytes
                ))
            }
            if announce, let before {
                for itemKey in before.items.keys.sorted() where digests[itemKey] == nil {
                    events.append(event(.itemRemoved, key: key, itemKey: itemKey, facet: before.facets[itemKey]))
                }
            }
            let members = layout.members
            if announce, let change = EntryChange(before: before, members: members, raw: raw) {
                events.append(event(.entryChanged, key: key, body: change.body))
            }
            upserts[key] = EntryDigest(hash: hash, items: digests, facets: facets, members: members.mapValues(\.hash))
        }
    }

    /// An entry gone from the file: each of its items is removed (with its trade pair, for the filters that follow
    /// it), then the entry.
    mutating func removeEntry(_ key: String) {
        guard announce else { return }
        if let before = old[key], file.items != nil {
            for itemKey in before.items.keys.sorted() {
                events.append(event(.itemRemoved, key: key, itemKey: itemKey, facet: before.facets[itemKey]))
            }
        }
        events.append(event(.keyRemoved, key: key))
    }

    private func event(_ kind: ChangeEvent.Kind, key: String, itemKey: String? = nil, facet: String? = nil, body: ByteBuffer? = nil) -> ChangeEvent {
        ChangeEvent(sequence: 0, timestamp: 0, feed: file.name, kind: kind, key: key, itemKey: itemKey, facet: facet, body: body)
    }

    /// The entry's own members (every top-level member but the one holding the items) with the hash of each value, and
    /// the range of the items array (nil when the entry has none). A repeated name keeps its last value, as readers of
    /// the file do.
    static func layout(_ raw: UnsafeRawBufferPointer, itemsPath: String) -> (members: [String: (hash: UInt64, range: Range<Int>)], items: Range<Int>?) {
        let names = itemsPath.split(separator: ".", maxSplits: 1)
        let holder = names.first.map(String.init)
        var members = [String: (hash: UInt64, range: Range<Int>)]()
        var holderRange: Range<Int>?
        for member in (try? JSONScanner.objectMembers(in: raw, range: 0 ..< raw.count)) ?? [] {
            if member.key == holder {
                holderRange = member.valueRange
            } else {
                members[member.key] = (ByteHash.of(raw, member.valueRange), member.valueRange)
            }
        }
        guard let holderRange, names.count > 1 else { return (members, holderRange) }
        return (members, JSONPath.values(raw, in: holderRange, path: names[1]).first)
    }

    /// The keyed elements of the array at `array`; none when it is not an array.
    static func items(_ raw: UnsafeRawBufferPointer, in array: Range<Int>?, key: String) -> [(key: String, range: Range<Int>)] {
        guard let array, let elements = JSONPath.elements(raw, in: array) else { return [] }
        return elements.compactMap { element in
            guard let value = JSONPath.member(raw, in: element, named: key), let name = JSONScanner.decodeString(in: raw, range: value) else {
                return nil
            }
            return (name, element)
        }
    }
}
