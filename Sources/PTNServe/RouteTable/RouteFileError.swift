/// Why a route file was refused: names the route (or top-level key) and what is wrong. Never a file system path
/// outside the data directory.
package struct RouteFileError: Error, CustomStringConvertible, Equatable {
    package let description: String

    init(_ description: String) { self.description = description }

    /// An error about one route, named by its path (or position when it has none).
    static func route(_ route: String, _ problem: String) -> RouteFileError {
        RouteFileError("route \(route): \(problem)")
    }
}
