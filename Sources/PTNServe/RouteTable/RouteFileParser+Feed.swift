// A route's `feed`: whether and how the change feed follows the file it reads.
extension RouteFileBuilder {
    /// `feed: false`, or `feed: {items: PATH, key: FIELD}` on a route that reads keyed entries.
    static func feed(_ node: RouteFileNode, route: String, select: TableRoute.Selection) throws(RouteFileError) -> TableRoute.FeedDeclaration {
        if let scalar = node.node.scalar {
            if scalar.string == "whole" { return .whole }
            guard node.node.bool == false else {
                throw .route(route, "`feed` must be false, whole or {items: PATH, key: FIELD}, not \"\(scalar.string)\"")
            }
            return .off
        }
        let fields = try RouteFileNode(node: node.node, context: "route \(route): feed").mapping(allowed: ["items", "key"])
        guard let items = fields["items"], let key = fields["key"] else { throw .route(route, "`feed` needs `items` and `key` (or is false or whole)") }
        switch select {
        case .member, .element: break
        case .whole, .keys: throw .route(route, "`feed.items` needs a route that reads keyed entries (`select: member` or `{array, key}`)")
        }
        return .items(FeedItems(path: try items.string("feed.items"), key: try key.string("feed.key")))
    }
}
