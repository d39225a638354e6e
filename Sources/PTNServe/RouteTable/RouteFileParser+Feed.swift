// A route's `feed`: whether and how the change feed follows the file it reads.
extension RouteFileBuilder {
    /// `feed: false`, or `feed: {items: PATH, key: FIELD, facet: FACET}` on a route that reads keyed entries.
    static func feed(_ node: RouteFileNode, route: String, select: TableRoute.Selection) throws(RouteFileError) -> TableRoute.FeedDeclaration {
        if let scalar = node.node.scalar {
            if scalar.string == "whole" { return .whole }
            guard node.node.bool == false else {
                throw .route(route, "`feed` must be false, whole or {items: PATH, key: FIELD}, not \"\(scalar.string)\"")
            }
            return .off
        }
        let fields = try RouteFileNode(node: node.node, context: "route \(route): feed").mapping(allowed: ["items", "key", "facet"])
        guard let items = fields["items"], let key = fields["key"] else { throw .route(route, "`feed` needs `items` and `key` (or is false or whole)") }
        switch select {
        case .member, .element: break
        case .whole, .keys: throw .route(route, "`feed.items` needs a route that reads keyed entries (`select: member` or `{array, key}`)")
        }
        var facet: FeedFacet?
        if let node = fields["facet"] { facet = try Self.facet(node, route: route) }
        return .items(FeedItems(path: try items.string("feed.items"), key: try key.string("feed.key"), facet: facet))
    }

    /// `facet: NAME`, or `facet: {name: NAME, path: PATH}`: a name usable as a query parameter.
    private static func facet(_ node: RouteFileNode, route: String) throws(RouteFileError) -> FeedFacet {
        let facet: FeedFacet
        if node.node.scalar != nil {
            facet = FeedFacet(name: try node.string("feed.facet"))
        } else {
            let fields = try RouteFileNode(node: node.node, context: "route \(route): feed.facet").mapping(allowed: ["name", "path"])
            guard let name = fields["name"] else { throw .route(route, "`feed.facet` needs a `name` (and may give the item's `path`)") }
            facet = FeedFacet(name: try name.string("feed.facet.name"), path: try fields["path"]?.string("feed.facet.path"))
        }
        let allowed = facet.name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        guard allowed, !facet.name.isEmpty, !facet.path.isEmpty else {
            throw .route(route, "`feed.facet` name must be lower-case letters, digits and _ (it becomes a query parameter), not \"\(facet.name)\"")
        }
        return facet
    }
}
