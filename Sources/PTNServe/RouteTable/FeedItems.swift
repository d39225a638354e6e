/// A route file's `feed: {items: PATH, key: FIELD}`: the nested array of each keyed entry whose elements are followed
/// one by one (PTN: each miner's `positions`, by `position_uuid`).
public struct FeedItems: Sendable, Hashable {
    /// The member of each entry holding the items (dotted path from the entry).
    public let path: String
    /// The string field naming each item.
    public let key: String

    public init(path: String, key: String) {
        self.path = path
        self.key = key
    }
}
