import Foundation
import Hummingbird
import HummingbirdCore

/// Which feeds a request may follow, by the route table's own rules: the files a key's tier lets it read, and a file
/// chosen by a route's query parameter (`?tier=30` follows that tier's file, with `/miner-positions?tier=30`'s rule).
struct FeedAccess: Sendable {
    let table: RouteTable
    let followed: [FollowedFile]

    /// What PTN's WebSocket stream carries: the files with nested items that a route serves as its own (not as a
    /// lower-tier alternative), PTN's real-time positions; and the key tier it needs, theirs (PTN: 100).
    let socketFeeds: Set<String>
    let socketTier: Int
    /// The query parameters stream filters take for the declared facets (PTN: `trade_pairs`, `trade_pair`).
    let facetParameters: [String]
    /// The query parameter of the entry keys' list (PTN: `hotkeys`).
    let keyParameter: String
    /// How each followed file's items are followed, by feed name: looked up for every event sent.
    private let itemsByFeed: [String: FeedItems]

    init(table: RouteTable) {
        self.table = table
        self.followed = table.followedFiles
        let own = followed.filter { file in file.items != nil && table.routes.contains { $0.source?.files.first == file.name } }
        self.socketFeeds = Set(own.map(\.name))
        self.socketTier = own.map(\.tier).max() ?? 100
        var parameters = [String]()
        for facet in followed.compactMap(\.items?.facet) { parameters += facet.parameters.filter { !parameters.contains($0) } }
        self.facetParameters = parameters
        self.keyParameter = table.streamKeyParameter
        self.itemsByFeed = Dictionary(followed.compactMap { file in file.items.map { (file.name, $0) } }) { first, _ in first }
    }

    /// How `feed`'s items are followed: the field naming each (PTN: `position_uuid`) and their facet.
    func items(feed: String) -> FeedItems? {
        itemsByFeed[feed]
    }

    /// What a WebSocket subscription follows: the socket feeds, narrowed to `hotkeys` and `facets` when given.
    func socketFilter(hotkeys: Set<String>? = nil, facets: Set<String>? = nil) -> FeedFilter {
        FeedFilter(feeds: socketFeeds, keys: hotkeys, facets: facets)
    }

    /// The filter of a request by a key of `tier`: its feeds, its list of entry keys (PTN: `hotkeys`, as the table's key
    /// filters name it), and a list of facet values under a declared facet's parameter (PTN: `trade_pairs`, or
    /// `trade_pair` as the REST filters spell it).
    func filter(_ query: FlatDictionary<Substring, Substring>, keyTier: Int) throws(APIError) -> FeedFilter {
        FeedFilter(
            feeds: try feeds(query, keyTier: keyTier), keys: Self.list(query, keyParameter),
            facets: facetParameters.lazy.compactMap { Self.list(query, $0) }.first
        )
    }

    private func feeds(_ query: FlatDictionary<Substring, Substring>, keyTier: Int) throws(APIError) -> Set<String> {
        let names = Set(followed.map(\.name))
        for route in table.routes {
            guard let byQuery = route.byQuery, let value = query.get(byQuery.parameter) else { continue }
            guard let choice = byQuery.values.first(where: { $0.value == String(value) }) else { throw .invalidQuery(byQuery.invalid) }
            guard keyTier >= choice.tier else { throw .forbidden(route.messages.forbiddenMessage(tier: choice.tier)) }
            return Set(choice.file.files.prefix(1)).intersection(names)
        }
        return Set(followed.filter { $0.isDefault && $0.tier <= keyTier }.map(\.name))
    }

    /// A comma-separated list parameter (`?hotkeys=a,b`), nil when absent.
    private static func list(_ query: FlatDictionary<Substring, Substring>, _ name: String) -> Set<String>? {
        query.get(name).map(QueryList.names)
    }
}
