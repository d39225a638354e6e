import Logging

/// What the router's table routes are built from and the fast lane shares with them: the routes, their decision, and
/// the request log.
struct TableRoutes: Sendable {
    let routes: FastLaneRoutes
    let answer: TableAnswer
    let log: RequestLogMiddleware

    /// The fast lane over these routes, with the application's logger and `Server` field.
    func fastLane(logger: Logger, serverName: String?) -> FastLane {
        FastLane(routes: routes, answer: answer, log: log, logger: logger, serverName: serverName)
    }
}
