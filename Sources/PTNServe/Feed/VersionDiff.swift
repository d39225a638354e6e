import NIOCore

/// The differences between the version a followed file had (its baseline) and a newly loaded one, and the baseline the
/// new version makes. Computed on the blocking pool right after the load, before the compression pass drops the
/// inflated document: only entries whose hash changed are parsed, and only their changed items are copied.
public struct VersionDiff: Sendable {
    /// The followed file.
    public let feed: String
    /// Events without their numbers yet (the feed numbers them when it publishes).
    public let events: [ChangeEvent]
    /// The new version's ETag.
    public let etag: String
    /// Entries whose digest is new or changed.
    public let upserts: [String: EntryDigest]
    /// Keys gone since the baseline.
    public let removals: [String]

    /// Whether the new version changes nothing the feed records (same ETag, same entries).
    public var isEmpty: Bool { events.isEmpty && upserts.isEmpty && removals.isEmpty }

    /// The baseline after this diff, from the one it was computed against.
    public func applied(to baseline: FeedBaseline?) -> FeedBaseline {
        var entries = baseline?.entries ?? [:]
        for key in removals { entries[key] = nil }
        for (key, digest) in upserts { entries[key] = digest }
        return FeedBaseline(etag: etag, entries: entries)
    }

    /// Compares `snapshot` with `baseline`. Without a baseline (the file was never followed, or the journal is new) the
    /// version only becomes the baseline, announced by one `new_version` event: a full history would be the whole file.
    public static func compute(_ file: FollowedFile, snapshot: FileSnapshot, baseline: FeedBaseline?) -> VersionDiff {
        let etag = snapshot.version.tag
        let newVersion = ChangeEvent(
            sequence: 0, timestamp: 0, feed: file.name, kind: .newVersion, etag: etag, size: snapshot.body.identityLength
        )
        guard let source = file.source, let entries = snapshot.entries(source) else {
            guard baseline?.etag != etag else { return VersionDiff(feed: file.name, events: [], etag: etag, upserts: [:], removals: []) }
            return VersionDiff(feed: file.name, events: [newVersion], etag: etag, upserts: [:], removals: [])
        }
        var differ = Differ(file: file, old: baseline?.entries ?? [:], announce: baseline != nil)
        for key in entries.keys {
            guard let bytes = entries.entry(for: key)?.full.identity else { continue }
            differ.compare(key: key, bytes: bytes)
        }
        let present = Set(entries.keys)
        let removals = (baseline?.entries.keys).map { $0.filter { !present.contains($0) } } ?? []
        let events = baseline == nil
            ? [newVersion]
            : differ.events + removals.map { ChangeEvent(sequence: 0, timestamp: 0, feed: file.name, kind: .keyRemoved, key: $0) }
        return VersionDiff(feed: file.name, events: events, etag: etag, upserts: differ.upserts, removals: removals)
    }
}

/// The per-entry work of a diff.
private struct Differ {
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
            var digests = [String: UInt64]()
            for item in Self.items(raw, path: items.path, key: items.key) {
                let itemHash = ByteHash.of(raw, item.range)
                guard digests.updateValue(itemHash, forKey: item.key) == nil else { continue }
                guard announce else { continue }
                let previous = before?.items[item.key]
                guard previous != itemHash else { continue }
                let itemBytes = ByteBuffer(bytes: UnsafeRawBufferPointer(rebasing: raw[item.range]))
                events.append(event(
                    previous == nil ? .itemAdded : .itemChanged, key: key, itemKey: item.key,
                    tradePair: Self.tradePair(raw, item.range), body: itemBytes
                ))
            }
            if announce, let before {
                for itemKey in before.items.keys where digests[itemKey] == nil {
                    events.append(event(.itemRemoved, key: key, itemKey: itemKey))
                }
            }
            upserts[key] = EntryDigest(hash: hash, items: digests)
        }
    }

    private func event(_ kind: ChangeEvent.Kind, key: String, itemKey: String? = nil, tradePair: String? = nil, body: ByteBuffer? = nil) -> ChangeEvent {
        ChangeEvent(sequence: 0, timestamp: 0, feed: file.name, kind: kind, key: key, itemKey: itemKey, tradePair: tradePair, body: body)
    }

    /// The keyed elements of the array at `path` inside the entry; an entry without it has no items.
    static func items(_ raw: UnsafeRawBufferPointer, path: String, key: String) -> [(key: String, range: Range<Int>)] {
        guard let array = JSONPath.values(raw, in: 0 ..< raw.count, path: path).first, let elements = JSONPath.elements(raw, in: array) else {
            return []
        }
        return elements.compactMap { element in
            guard let value = JSONPath.member(raw, in: element, named: key), let name = JSONScanner.decodeString(in: raw, range: value) else {
                return nil
            }
            return (name, element)
        }
    }

    /// The item's `trade_pair`: a string, or the first element of an array (PTN's `["BTCUSD", "BTC/USD", ...]`).
    static func tradePair(_ raw: UnsafeRawBufferPointer, _ item: Range<Int>) -> String? {
        JSONPath.firstString(raw, in: item, path: "trade_pair")
    }
}
