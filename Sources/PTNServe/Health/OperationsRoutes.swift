import Hummingbird

/// The unauthenticated operational routes of the public port: `/health`, `/ready` and `/openapi.json`.
struct OperationsRoutes: Sendable {
    let observability: Observability
    let staleAfter: Duration
    /// The change feed `/ready` reports and `/changes` and `/events` serve (nil: none).
    let feed: ChangeFeed?
    /// How often an idle `/events` stream gets a keep-alive comment.
    let keepAlive: Duration
    /// The shared database `/ready` reports (nil without `--database`).
    let replica: ReplicaState?

    init(
        observability: Observability = Observability(), staleAfter: Duration, feed: ChangeFeed? = nil,
        keepAlive: Duration = .seconds(15), replica: ReplicaState? = nil
    ) {
        self.observability = observability
        self.staleAfter = staleAfter
        self.feed = feed
        self.keepAlive = keepAlive
        self.replica = replica
    }

    /// The paths added, for the 405 answers; a route file may not use them (`ServerPaths.reserved`).
    static let paths = ["health", "ready", "openapi.json"]

    func addRoutes(to router: Router<AppRequestContext>, table: RouteTable, store: DataStore) {
        HealthController(table: table, store: store, status: observability.fileStatus, staleAfter: staleAfter, feed: feed, replica: replica)
            .addRoutes(to: router)
        OpenAPIController(document: OpenAPIDocument(table: table).bytes).addRoutes(to: router)
    }
}
