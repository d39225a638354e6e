import Hummingbird

/// The unauthenticated operational routes of the public port: `/health`, `/ready` and `/openapi.json`.
public struct OperationsRoutes: Sendable {
    let observability: Observability
    let staleAfter: Duration

    public init(observability: Observability = Observability(), staleAfter: Duration = .seconds(600)) {
        self.observability = observability
        self.staleAfter = staleAfter
    }

    /// The paths added, for the 405 answers.
    static let paths = ["health", "ready", "openapi.json"]

    func addRoutes(to router: Router<AppRequestContext>, store: DataStore) {
        HealthController(store: store, status: observability.fileStatus, staleAfter: staleAfter).addRoutes(to: router)
        OpenAPIController().addRoutes(to: router)
    }
}
