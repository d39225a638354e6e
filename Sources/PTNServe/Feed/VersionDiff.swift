import NIOCore

/// The differences between the version a followed file had (its baseline) and a newly loaded one, and the baseline the
/// new version makes. Computed on the blocking pool right after the load, before the compression pass drops the
/// inflated document: only entries whose hash changed are parsed, and only their changed items are copied.
struct VersionDiff: Sendable {
    /// The followed file.
    let feed: String
    /// Events without their numbers yet (the feed numbers them when it publishes).
    let events: [ChangeEvent]
    /// The new version's ETag.
    let etag: String
    /// Entries whose digest is new or changed.
    let upserts: [String: EntryDigest]
    /// Keys gone since the baseline.
    let removals: [String]

    /// Whether the new version changes nothing the feed records (same ETag, same entries).
    var isEmpty: Bool { events.isEmpty && upserts.isEmpty && removals.isEmpty }

    /// The baseline after this diff, from the one it was computed against.
    func applied(to baseline: FeedBaseline?) -> FeedBaseline {
        var entries = baseline?.entries ?? [:]
        for key in removals { entries[key] = nil }
        for (key, digest) in upserts { entries[key] = digest }
        return FeedBaseline(etag: etag, entries: entries)
    }

    /// Compares `snapshot` with `baseline`. Without a baseline (the file was never followed, or the journal is new) the
    /// version only becomes the baseline, announced by one `new_version` event: a full history would be the whole file.
    static func compute(_ file: FollowedFile, snapshot: FileSnapshot, baseline: FeedBaseline?) -> VersionDiff {
        let etag = snapshot.version.tag
        let newVersion = ChangeEvent(
            sequence: 0, timestamp: 0, feed: file.name, kind: .newVersion, etag: etag, size: snapshot.body.identityLength
        )
        guard let source = file.source, let entries = snapshot.entries(source) else {
            guard baseline?.etag != etag else { return VersionDiff(feed: file.name, events: [], etag: etag, upserts: [:], removals: []) }
            return VersionDiff(feed: file.name, events: [newVersion], etag: etag, upserts: [:], removals: [])
        }
        var differ = VersionDiffer(file: file, old: baseline?.entries ?? [:], announce: baseline != nil)
        for key in entries.keys {
            guard let bytes = entries.entry(for: key)?.full.identity else { continue }
            differ.compare(key: key, bytes: bytes)
        }
        let present = Set(entries.keys)
        let removals = (baseline?.entries.keys).map { $0.filter { !present.contains($0) }.sorted() } ?? []
        for key in removals { differ.removeEntry(key) }
        let events = baseline == nil ? [newVersion] : differ.events
        return VersionDiff(feed: file.name, events: events, etag: etag, upserts: differ.upserts, removals: removals)
    }
}
