import Hummingbird

/// The unauthenticated operational routes of the public port: `/health`, `/ready` and `/openapi.json`.
public struct OperationsRoutes: Sendable {
    let observability: Observability
    let staleAfter: Duration

    public init(observability: Observability = Observability(), staleAfter: Duration = .seconds(600)) {
        self.observability = observability
        self.staleAfter = staleAfter
    }

    /// The paths added, for the 405 answers; a route file may not use them (`RouteFileParser.reservedPaths`).
    static let paths = ["health", "ready", "openapi.json"]

    func addRoutes(to router: Router<AppRequestContext>, table: RouteTable, store: DataStore) {
        HealthController(table: table, store: store, status: observability.fileStatus, staleAfter: staleAfter).addRoutes(to: router)
        OpenAPIController(document: OpenAPIDocument(table: table).bytes).addRoutes(to: router)
    }
}
