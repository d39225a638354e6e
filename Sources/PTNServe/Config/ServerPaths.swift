/// The paths the server answers itself, as the controllers that add them declare them: the public router's 405 answers
/// cover them, and a route file may not use them.
package enum ServerPaths {
    /// The public listener's paths outside the explorer (router templates, without the leading `/`).
    private static let ownPaths = OperationsRoutes.paths + ChangesController.paths + UsageController.paths + SocketEndpoint.paths

    /// Every path the public listener answers itself, for the 405 answers.
    static let publicPaths = ownPaths + ExplorerController.paths

    /// What a route file may not use: those paths (the explorer's as its whole tree), and `/metrics` although it is on
    /// its own listener, to avoid confusion.
    package static let reserved = ReservedPaths(
        exact: (ownPaths + MetricsEndpoint.paths).map { "/" + $0 }, trees: ["/" + ExplorerController.tree]
    )
}
