/// One file the change feed follows, as the route table exposes it: by key (with nested items if declared), or whole.
package struct FollowedFile: Sendable, Hashable {
    /// The file's name in the route table; also the feed's name in events.
    package let name: String
    /// The keyed entries a route reads from it; nil when it is served only whole (one `new_version` event per version).
    package let source: EntrySource?
    /// The nested items followed inside each entry.
    package let items: FeedItems?
    /// The lowest key tier a route lets read this file: the events need the same.
    package let tier: Int
    /// Whether a request without a file-choosing query parameter follows it (a route's own file, not a `by_query`
    /// or lower `by_key_tier` alternative).
    package let isDefault: Bool
}

extension RouteTable {
    /// The files the change feed follows: every file a route reads, unless a route reading it says `feed: false`. A file
    /// read by a keyed route is followed by that route's key (the route declaring `feed:` items first), unless a route
    /// says `feed: whole`; others are followed whole.
    package var followedFiles: [FollowedFile] {
        files.compactMap { file in
            let readers = routes.filter { $0.fileNames.contains(file.name) }
            guard !readers.isEmpty, !readers.contains(where: { $0.feed == .off }) else { return nil }
            let keyed = readers.contains { $0.feed == .whole } ? [] : readers.filter { $0.select.entrySource != nil && $0.select != .keys }
            let declaring = keyed.first { if case .items = $0.feed { true } else { false } }
            let chosen = declaring ?? keyed.first
            var items: FeedItems?
            if case .items(let declared)? = declaring?.feed { items = declared }
            // A key list (`select: keys`) shows no entry's content: the tier of the routes that do decides.
            let showing = readers.filter { $0.select != .keys }
            let tiers = (showing.isEmpty ? readers : showing).compactMap { $0.tier(toRead: file.name) }
            let isDefault = readers.contains { route in
                route.source?.files.first == file.name || route.byKeyTier.first?.file.files.first == file.name
            }
            return FollowedFile(
                name: file.name,
                source: chosen?.select.entrySource,
                items: items,
                tier: tiers.min() ?? 0,
                isDefault: isDefault
            )
        }
    }
}

extension TableRoute {
    /// The lowest key tier with which this route serves `file`, or nil if it never reads it.
    func tier(toRead file: String) -> Int? {
        var tiers = [Int]()
        if source?.files.contains(file) == true { tiers.append(tier) }
        tiers += byQuery?.values.filter { $0.file.files.contains(file) }.map(\.tier) ?? []
        tiers += byKeyTier.filter { $0.file.files.contains(file) }.map(\.tier)
        return tiers.min()
    }
}
