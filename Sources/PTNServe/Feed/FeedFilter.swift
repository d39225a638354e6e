/// Which events a follower gets: the feeds its key may see, and optionally only some keys (hotkeys) or trade pairs.
package struct FeedFilter: Sendable, Equatable {
    package let feeds: Set<String>
    /// `?hotkeys=`: only events of these keys.
    package let keys: Set<String>?
    /// A declared facet's list (PTN: `?trade_pairs=`): only item events tagged with one of these.
    package let facets: Set<String>?

    package init(feeds: Set<String>, keys: Set<String>? = nil, facets: Set<String>? = nil) {
        self.feeds = feeds
        self.keys = keys
        self.facets = facets
    }

    package func matches(_ event: ChangeEvent) -> Bool {
        guard feeds.contains(event.feed) else { return false }
        if let keys, !(event.key.map(keys.contains) ?? false) { return false }
        if let facets, !(event.facet.map(facets.contains) ?? false) { return false }
        return true
    }
}
