// What a route answers with: `select`, `strip`, `wrap`, `gzip` and `unknown_key_members`.
extension RouteFileBuilder {
    static func selection(_ node: RouteFileNode) throws(RouteFileError) -> TableRoute.Selection {
        if let word = node.node.scalar?.string {
            switch word {
            case "whole": return .whole
            case "member": return .member
            case "keys": return .keys
            default: throw node.fail("select must be whole, member, keys, {array: PATH, key: FIELD} or {object: PATH}, not \"\(word)\"")
            }
        }
        let fields = try node.mapping(allowed: ["array", "key", "object"])
        if let object = fields["object"] {
            guard fields["array"] == nil, fields["key"] == nil else {
                throw node.fail("select {object: PATH} takes no `array` or `key` (the object's members are keyed by name)")
            }
            let path = try object.string("select.object")
            guard !path.isEmpty else {
                throw node.fail("select {object: PATH} needs a dotted path to an object; the top level's members are `select: member`")
            }
            guard !path.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty) else {
                throw node.fail("select.object \"\(path)\" has an empty name between dots")
            }
            return .element(.object(path: path))
        }
        guard let array = fields["array"], let key = fields["key"] else { throw node.fail("select {array, key} needs both") }
        return .element(.array(path: try array.string("select.array"), key: try key.string("select.key")))
    }

    static func strip(_ node: RouteFileNode, route: String, select: TableRoute.Selection) throws(RouteFileError) -> TableRoute.Strip {
        let fields = try RouteFileNode(node: node.node, context: "route \(route): strip").mapping(allowed: ["param", "value", "field", "array"])
        guard let parameter = fields["param"], let value = fields["value"], let field = fields["field"] else {
            throw .route(route, "`strip` needs `param`, `value` and `field`")
        }
        if case .keys = select { throw .route(route, "`strip` does not apply to `select: keys`") }
        if fields["array"] != nil, select != .whole { throw .route(route, "`strip.array` is only for whole-file routes (the entries are the selection's)") }
        return TableRoute.Strip(
            parameter: try parameter.string("strip.param"),
            value: try value.string("strip.value"),
            field: try field.string("strip.field"),
            array: try fields["array"]?.string("strip.array")
        )
    }

    /// `wrap: key` on a route that answers one entry, without a strip or filters (its answer is made once, at load).
    static func wrap(
        _ node: RouteFileNode, route: String, select: TableRoute.Selection, strip: Bool, filters: Bool
    ) throws(RouteFileError) -> Bool {
        let word = try node.string("wrap")
        guard word == "key" else { throw node.fail("wrap must be `key` (the entry answered as {KEY: entry}), not \"\(word)\"") }
        switch select {
        case .member, .element: break
        case .whole, .keys: throw .route(route, "`wrap` needs a route that answers one entry (`select: member`, `{array, key}` or `{object}`)")
        }
        if strip || filters { throw .route(route, "`wrap` does not combine with `strip` or `filters`") }
        return true
    }

    static func gzipPolicy(_ node: RouteFileNode) throws(RouteFileError) -> TableRoute.GzipPolicy {
        let word = try node.string("gzip")
        guard let policy = TableRoute.GzipPolicy(rawValue: word) else {
            throw node.fail("gzip must be \(TableRoute.GzipPolicy.allCases.map(\.rawValue).joined(separator: " or ")), not \"\(word)\"")
        }
        return policy
    }

    /// `unknown_key_members`: an object whose members follow `error` in the unknown-key 404 body.
    static func extraMembers(_ node: RouteFileNode, route: String) throws(RouteFileError) -> JSONTree {
        let tree = node.jsonTree()
        guard case .object(let members) = tree else { throw .route(route, "`unknown_key_members` must be a mapping of members to add") }
        if members.contains(where: { $0.0 == "error" }) { throw .route(route, "`unknown_key_members` cannot set `error` (that is `unknown_key`)") }
        return tree
    }
}
