/// The paths the server answers itself, which a route file may not use: exact paths, and trees (a path and all below
/// it). The server's own list comes from above (`ServerPaths`); the route table only checks against it.
package struct ReservedPaths: Sendable {
    /// Paths reserved as they are (`/health`).
    package let exact: Set<String>
    /// Paths reserved with everything below them (`/ui`).
    package let trees: [String]

    package init(exact: [String] = [], trees: [String] = []) {
        self.exact = Set(exact)
        self.trees = trees
    }

    /// Whether a route file may not use `path`.
    func contains(_ path: String) -> Bool {
        exact.contains(path) || trees.contains { path == $0 || path.hasPrefix($0 + "/") }
    }
}
