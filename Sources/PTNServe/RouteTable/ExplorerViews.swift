/// A route file's `explorer:`: the routes the data explorer's leaderboard and miner pages read (PTN's profiles: the
/// statistics and a miner's positions). A table without it has no such pages; its routes are browsable as any.
package struct ExplorerViews: Sendable, Equatable {
    /// The leaderboard's request: a route's path, with its query (PTN: `/statistics?checkpoints=false`); the answer's
    /// `data` array holds a row per miner.
    package let leaderboard: String
    /// A miner's positions and statistics: route paths with one `{parameter}`, the miner.
    package let minerPositions: String
    package let minerStatistics: String

    /// The route file's keys, in the order `routes show` writes them.
    static let keys = ["leaderboard", "miner_positions", "miner_statistics"]

    /// `request`'s route path: without its query.
    static func routePath(_ request: String) -> String {
        String(request.prefix { $0 != "?" })
    }
}
