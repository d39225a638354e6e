extension RouteFileParser {
    /// A route's `filters:` mapping: `items: PATH`, then one entry per query parameter.
    static func filters(_ node: RouteFileNode, route: String, select: TableRoute.Selection) throws(RouteFileError) -> RouteFilters {
        guard select.entrySource != nil, select != .keys else {
            throw .route(route, "`filters` apply to routes that answer one entry (`select: member` or `{array, key}`)")
        }
        let context = RouteFileNode(node: node.node, context: "route \(route): filters")
        var items: String?
        var parameters = [RouteFilters.Parameter]()
        for (name, spec) in try context.orderedPairs() {
            if name == "items" {
                items = try spec.string("items")
                continue
            }
            parameters.append(.init(name: name, kind: try filterKind(spec)))
        }
        let needsItems = parameters.contains { if case .members = $0.kind { false } else { true } }
        if needsItems, items == nil { throw context.fail("item filters need `items:` (the entry's array they select from)") }
        guard !parameters.isEmpty else { throw context.fail("declares no parameter") }
        return RouteFilters(items: items, parameters: parameters)
    }

    private static func filterKind(_ spec: RouteFileNode) throws(RouteFileError) -> RouteFilters.Kind {
        if spec.node.scalar?.string == "members" { return .members }
        let fields = try spec.mapping(allowed: ["equals", "field", "values", "since", "latest"])
        if let field = fields["equals"] { return .equals(field: try field.string("equals")) }
        if let times = fields["since"] { return .since(times: try times.strings("since")) }
        if let times = fields["latest"] { return .latest(times: try times.strings("latest")) }
        if let field = fields["field"], let values = fields["values"] {
            var map = [String: String]()
            for (word, value) in try values.orderedPairs() {
                map[word] = try value.jsonTree().text
            }
            guard !map.isEmpty else { throw spec.fail("`values` is empty") }
            return .choice(field: try field.string("field"), values: map)
        }
        throw spec.fail("a filter is `members`, or one of {equals: FIELD}, {field: FIELD, values: {WORD: VALUE}}, {since: TIMES}, {latest: TIMES}")
    }
}
