extension RouteFileParser {
    /// A route's `filters:` mapping: `items: PATH`, then one entry per query parameter.
    static func filters(
        _ node: RouteFileNode, route: String, select: TableRoute.Selection, keyFilter: TableRoute.KeyFilter?
    ) throws(RouteFileError) -> RouteFilters {
        guard select.entrySource != nil && select != .keys || select == .whole && keyFilter != nil else {
            throw .route(route, "`filters` apply to routes that answer one entry (`select: member` or `{array, key}`), "
                + "or to a whole file's entries named by `key_filter`")
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

    /// A whole-file route's `key_filter:`: `PARAM` (the top-level object's members) or `{param, array, key}`.
    static func keyFilter(_ node: RouteFileNode, route: String, select: TableRoute.Selection) throws(RouteFileError) -> TableRoute.KeyFilter {
        guard select == .whole else { throw .route(route, "`key_filter` is for whole-file routes (keyed routes name one entry already)") }
        if let name = node.node.scalar?.string { return .init(parameter: name, source: .members) }
        let fields = try RouteFileNode(node: node.node, context: "route \(route): key_filter").mapping(allowed: ["param", "array", "key"])
        guard let parameter = fields["param"], let array = fields["array"], let key = fields["key"] else {
            throw .route(route, "`key_filter` is a parameter name, or {param, array, key} for the entries of an array")
        }
        return .init(parameter: try parameter.string("key_filter.param"), source: .array(path: try array.string("key_filter.array"), key: try key.string("key_filter.key")))
    }
}
