/// A route file's `feed: {items: PATH, key: FIELD, facet: ...}`: the nested array of each keyed entry whose elements are
/// followed one by one (PTN: each miner's `positions`, by `position_uuid`), and the facet their events carry.
package struct FeedItems: Sendable, Hashable {
    /// The member of each entry holding the items (dotted path from the entry).
    package let path: String
    /// The string field naming each item.
    package let key: String
    /// What each item event is tagged with and stream filters narrow by; nil when the route declares none.
    package let facet: FeedFacet?

    package init(path: String, key: String, facet: FeedFacet? = nil) {
        self.path = path
        self.key = key
        self.facet = facet
    }
}

/// A route file's `feed.facet`: `NAME` (the item's field of that name) or `{name: NAME, path: PATH}`. PTN's profiles
/// declare `trade_pair`.
package struct FeedFacet: Sendable, Hashable {
    /// What events call it (their member `NAME`) and what stream filters take (`?NAMEs=a,b` or `?NAME=a`).
    package let name: String
    /// The item's field holding it, as a dotted path; a list there gives its first string (PTN's `["BTCUSD", ...]`).
    package let path: String

    package init(name: String, path: String? = nil) {
        self.name = name
        self.path = path ?? name
    }

    /// The query parameters a stream filter on it is given by: the plural first.
    package var parameters: [String] { [name + "s", name] }
}
