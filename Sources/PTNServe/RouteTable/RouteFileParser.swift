import Yams

/// Reads a route file (YAML or JSON) into a validated `RouteTable`, refusing anything ambiguous with a message that
/// names the route and the problem.
enum RouteFileParser {
    static let topLevelKeys = ["profile", "extends", "description", "api_keys", "files", "ready", "routes"]
    static let fileKeys = ["path", "compress"]
    static let routeKeys = [
        "path", "file", "fallback", "select", "tier", "gzip", "not_found", "unknown_key", "unknown_key_members", "empty", "forbidden", "by_query",
        "by_key_tier", "strip", "doc", "feed", "filters", "key_filter", "wrap",
    ]
    /// Paths the server answers itself (`/metrics` too, which lives on its own listener, to avoid confusion); all of
    /// `/ui/` is the data explorer's as well (checked as a prefix).
    static let reservedPaths = (OperationsRoutes.paths + ChangesController.paths + UsageController.paths + SocketEndpoint.paths + ["metrics"])
        .map { "/" + $0 }

    /// Parses `text`; `profiles` resolves `extends:` to a built-in profile's text.
    static func parse(_ text: String, profiles: (String) -> String?) throws(RouteFileError) -> RouteTable {
        let root = try merged(try compose(text), profiles: profiles, depth: 0)
        var builder = Builder(root: root)
        return try builder.build()
    }

    private static func compose(_ text: String) throws(RouteFileError) -> Node {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch { throw RouteFileError("not valid YAML or JSON: \(error)") }
        guard let node, node.mapping != nil else { throw RouteFileError("the top level must be a mapping with `routes:`") }
        return node
    }

    /// Applies `extends: NAME`: the file's `files` replace the base's of the same name, its routes replace the base's
    /// on the same path (or, with `amend: true`, replace only the keys they give), others are appended, and every other
    /// key replaces the base's.
    private static func merged(_ node: Node, profiles: (String) -> String?, depth: Int) throws(RouteFileError) -> Node {
        guard let mapping = node.mapping, let baseName = mapping["extends"]?.scalar?.string else { return node }
        guard depth < 4 else { throw RouteFileError("extends: profiles extend each other in a loop") }
        guard let baseText = profiles(baseName) else {
            throw RouteFileError("extends: no built-in profile \"\(baseName)\"")
        }
        guard var base = try merged(try compose(baseText), profiles: profiles, depth: depth + 1).mapping else { return node }
        base["extends"] = nil
        for (key, value) in mapping where key.scalar?.string != "extends" {
            switch key.scalar?.string {
            case "files":
                var files = base["files"]?.mapping ?? [:]
                for (name, file) in value.mapping ?? [:] { files[name] = file }
                base["files"] = .mapping(files)
            case "routes":
                var routes = base["routes"]?.sequence.map(Array.init) ?? []
                for route in value.sequence ?? [] {
                    let path = route.mapping?["path"]?.scalar?.string
                    let index = routes.firstIndex { $0.mapping?["path"]?.scalar?.string == path }
                    guard var amended = route.mapping, amended["amend"] != nil else {
                        if let index { routes[index] = route } else { routes.append(route) }
                        continue
                    }
                    // `amend: true`: the keys given replace the base route's, the others are kept.
                    guard amended["amend"]?.scalar?.string == "true" else { throw RouteFileError("route \(path ?? "?"): `amend` must be true") }
                    guard let index, var baseRoute = routes[index].mapping else {
                        throw RouteFileError("route \(path ?? "?"): `amend: true`, but \(baseName) has no route at this path")
                    }
                    amended["amend"] = nil
                    for (routeKey, routeValue) in amended { baseRoute[routeKey] = routeValue }
                    routes[index] = .mapping(baseRoute)
                }
                base["routes"] = .sequence(Node.Sequence(routes))
            default:
                base[key] = value
            }
        }
        return .mapping(base)
    }
}

/// One pass over a composed route file.
private struct Builder {
    let root: Node
    private var files: [ServedFile] = []

    init(root: Node) { self.root = root }

    mutating func build() throws(RouteFileError) -> RouteTable {
        let top = try RouteFileNode(node: root, context: "route file").mapping(allowed: RouteFileParser.topLevelKeys)
        let profile = try top["profile"]?.string("profile") ?? "custom"
        let description = try top["description"]?.string("description")
        let apiKeys = try top["api_keys"]?.strings("api_keys") ?? []
        for path in apiKeys { try Self.checkRelative(path, context: "api_keys") }
        if let declared = top["files"] {
            for (name, node) in try declared.orderedPairs() {
                try Self.checkName(name, context: node.context)
                let fields: [String: RouteFileNode]
                if node.node.scalar != nil || node.node.sequence != nil {
                    fields = ["path": node]
                } else {
                    fields = try node.mapping(allowed: RouteFileParser.fileKeys)
                }
                guard let path = fields["path"] else { throw node.fail("needs a `path`") }
                let candidates = try path.strings("path")
                for candidate in candidates { try Self.checkRelative(candidate, context: node.context) }
                files.append(ServedFile(name: name, candidates: candidates, compress: try fields["compress"]?.bool("compress") ?? true))
            }
        }
        guard let routeList = top["routes"] else { throw RouteFileError("route file: `routes:` is missing") }
        if routeList.node.null != nil { throw RouteFileError("route file: `routes:` is empty") }
        var routes = [TableRoute]()
        for (index, node) in try routeList.sequence("routes").enumerated() {
            let route = try buildRoute(node, position: index + 1)
            let shape = Self.shape(of: route.path)
            if let other = routes.first(where: { Self.shape(of: $0.path) == shape }) {
                throw .route(route.path, "the same path as route \(other.path)")
            }
            routes.append(route)
        }
        guard !routes.isEmpty else { throw RouteFileError("route file: `routes:` is empty") }
        let used = Set(routes.flatMap(\.fileNames))
        files = files.filter { used.contains($0.name) }
        let readiness = try top["ready"].map { node throws(RouteFileError) in try readinessSets(node) } ?? [files.map(\.name)]
        return RouteTable(profile: profile, description: description, apiKeyFiles: apiKeys, files: files, routes: routes, readiness: readiness)
    }

    private func readinessSets(_ node: RouteFileNode) throws(RouteFileError) -> [[String]] {
        let context = RouteFileNode(node: node.node, context: "ready")
        let sets: [[String]]
        if let anyOf = try? context.mapping(allowed: ["any_of"])["any_of"] {
            sets = try anyOf.sequence("ready.any_of").map { set throws(RouteFileError) in try set.strings("ready.any_of") }
        } else {
            sets = [try context.strings("ready")]
        }
        for name in sets.joined() where file(named: name) == nil {
            throw context.fail("\"\(name)\" is not a file any route reads")
        }
        return sets
    }

    private func file(named name: String) -> ServedFile? { files.first { $0.name == name } }

    private mutating func buildRoute(_ node: RouteFileNode, position: Int) throws(RouteFileError) -> TableRoute {
        let path = node.node.mapping?["path"]?.scalar?.string
        let context = path.map { "route \($0)" } ?? "route #\(position)"
        let fields = try RouteFileNode(node: node.node, context: context).mapping(allowed: RouteFileParser.routeKeys)
        guard let path else { throw RouteFileError("\(context): needs a `path`") }
        let parameter = try Self.parameter(of: path, context: context)
        if RouteFileParser.reservedPaths.contains(path) || path == "/ui" || path.hasPrefix("/ui/") {
            throw .route(path, "the path is reserved for the server's own \(path) answer")
        }

        let select = try fields["select"].map { node throws(RouteFileError) in try Self.selection(node) } ?? .whole
        switch (select, parameter) {
        case (.member, nil), (.element, nil):
            throw .route(path, "this `select` names an entry by a path parameter, but the path has none (e.g. /things/{id})")
        case (.whole, let name?), (.keys, let name?):
            throw .route(path, "the path parameter {\(name)} is not used: only `select: member`, `{array, key}` or `{object}` read one")
        default: break
        }

        let source = try fields["file"].map { node throws(RouteFileError) in
            try fileChoice(node, fallback: fields["fallback"], context: context)
        }
        if source == nil, fields["fallback"] != nil { throw .route(path, "`fallback` needs a `file`") }
        let byQuery = try fields["by_query"].map { node throws(RouteFileError) in try queryChoice(node, route: path) }
        let byKeyTier = try fields["by_key_tier"].map { node throws(RouteFileError) in try tierChoices(node, route: path) } ?? []
        if source == nil, byKeyTier.isEmpty { throw .route(path, "needs a `file` (or `by_key_tier`)") }
        if byQuery != nil, source == nil { throw .route(path, "`by_query` needs a `file` for requests without the parameter") }

        let strip = try fields["strip"].map { node throws(RouteFileError) in try Self.strip(node, route: path, select: select) }
        let keyFilter = try fields["key_filter"].map { node throws(RouteFileError) in
            try RouteFileParser.keyFilter(node, route: path, select: select)
        }
        let wrapsInKey = try fields["wrap"].map { node throws(RouteFileError) in
            try Self.wrap(node, route: path, select: select, strip: strip != nil, filters: fields["filters"] != nil)
        } ?? false
        let gzip = try fields["gzip"].map { node throws(RouteFileError) in try Self.gzipPolicy(node) } ?? .whenAccepted
        let notFound = try fields["not_found"]?.string("not_found") ?? "Data not found"
        let messages = TableRoute.Messages(
            notFound: notFound,
            unknownKey: try fields["unknown_key"]?.string("unknown_key") ?? notFound,
            unknownKeyMembers: try fields["unknown_key_members"].map { node throws(RouteFileError) in try Self.extraMembers(node, route: path) },
            empty: try fields["empty"]?.string("empty"),
            forbidden: try fields["forbidden"]?.string("forbidden")
        )
        return TableRoute(
            path: path,
            parameter: parameter,
            source: source,
            select: select,
            tier: try fields["tier"]?.int("tier") ?? 0,
            gzip: gzip,
            messages: messages,
            byQuery: byQuery,
            byKeyTier: byKeyTier,
            strip: strip,
            doc: try fields["doc"].map { node throws(RouteFileError) in try Self.doc(node) } ?? RouteDoc(),
            feed: try fields["feed"].map { node throws(RouteFileError) in try Self.feed(node, route: path, select: select) } ?? .automatic,
            filters: try fields["filters"].map { node throws(RouteFileError) in
                try RouteFileParser.filters(node, route: path, select: select, keyFilter: keyFilter)
            },
            keyFilter: keyFilter,
            wrapsInKey: wrapsInKey
        )
    }

    /// A `file:` value: a name from `files:`, or one path / a list of alternate paths (declared on first use).
    private mutating func fileChoice(_ node: RouteFileNode, fallback: RouteFileNode?, context: String) throws(RouteFileError) -> TableRoute.FileChoice {
        var names = [try fileName(node, context: context)]
        if let fallback { names.append(try fileName(fallback, context: context)) }
        return TableRoute.FileChoice(files: names)
    }

    private mutating func fileName(_ node: RouteFileNode, context: String) throws(RouteFileError) -> String {
        let values = try node.strings("file")
        if values.count == 1, let named = file(named: values[0]) { return named.name }
        for path in values { try Self.checkRelative(path, context: context) }
        if let existing = files.first(where: { $0.candidates == values }) { return existing.name }
        var name = Self.derivedName(values[0])
        var suffix = 2
        while file(named: name) != nil {
            name = Self.derivedName(values[0]) + "-\(suffix)"
            suffix += 1
        }
        files.append(ServedFile(name: name, candidates: values))
        return name
    }

    private mutating func queryChoice(_ node: RouteFileNode, route: String) throws(RouteFileError) -> TableRoute.QueryChoice {
        let context = "route \(route): by_query"
        let fields = try RouteFileNode(node: node.node, context: context).mapping(allowed: ["param", "invalid", "gzip", "values"])
        guard let parameter = try fields["param"]?.string("param") else { throw RouteFileError("\(context): needs a `param`") }
        guard let valuesNode = fields["values"] else { throw RouteFileError("\(context): needs `values`") }
        var values = [TableRoute.QueryChoice.Value]()
        for (value, choice) in try valuesNode.orderedPairs() {
            let choiceFields = try choice.mapping(allowed: ["file", "fallback", "tier"])
            guard let file = choiceFields["file"] else { throw choice.fail("needs a `file`") }
            values.append(.init(
                value: value,
                file: try fileChoice(file, fallback: choiceFields["fallback"], context: choice.context),
                tier: try choiceFields["tier"]?.int("tier") ?? 0
            ))
        }
        guard !values.isEmpty else { throw RouteFileError("\(context): `values` is empty") }
        let allowed = values.map(\.value).joined(separator: ", ")
        return TableRoute.QueryChoice(
            parameter: parameter,
            invalid: try fields["invalid"]?.string("invalid") ?? "Invalid \(parameter) value. Allowed values are \(allowed)",
            gzip: try fields["gzip"].map { node throws(RouteFileError) in try Self.gzipPolicy(node) } ?? .whenAccepted,
            values: values
        )
    }

    private mutating func tierChoices(_ node: RouteFileNode, route: String) throws(RouteFileError) -> [TableRoute.TierChoice] {
        var choices = [TableRoute.TierChoice]()
        for entry in try RouteFileNode(node: node.node, context: "route \(route): by_key_tier").sequence("by_key_tier") {
            let fields = try entry.mapping(allowed: ["tier", "file", "fallback"])
            guard let file = fields["file"], let tier = fields["tier"] else { throw entry.fail("each entry needs `tier` and `file`") }
            choices.append(.init(tier: try tier.int("tier"), file: try fileChoice(file, fallback: fields["fallback"], context: entry.context)))
        }
        guard !choices.isEmpty else { throw .route(route, "`by_key_tier` is empty") }
        guard Set(choices.map(\.tier)).count == choices.count else { throw .route(route, "`by_key_tier` names a tier twice") }
        return choices.sorted { $0.tier > $1.tier }
    }

    /// `unknown_key_members`: an object whose members follow `error` in the unknown-key 404 body.
    private static func extraMembers(_ node: RouteFileNode, route: String) throws(RouteFileError) -> JSONTree {
        let tree = node.jsonTree()
        guard case .object(let members) = tree else { throw .route(route, "`unknown_key_members` must be a mapping of members to add") }
        if members.contains(where: { $0.0 == "error" }) { throw .route(route, "`unknown_key_members` cannot set `error` (that is `unknown_key`)") }
        return tree
    }

    private static func selection(_ node: RouteFileNode) throws(RouteFileError) -> TableRoute.Selection {
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

    /// `wrap: key` on a route that answers one entry, without a strip or filters (its answer is made once, at load).
    private static func wrap(
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

    private static func strip(_ node: RouteFileNode, route: String, select: TableRoute.Selection) throws(RouteFileError) -> TableRoute.Strip {
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

    /// `feed: false`, or `feed: {items: PATH, key: FIELD}` on a route that reads keyed entries.
    private static func feed(_ node: RouteFileNode, route: String, select: TableRoute.Selection) throws(RouteFileError) -> TableRoute.FeedDeclaration {
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

    private static func gzipPolicy(_ node: RouteFileNode) throws(RouteFileError) -> TableRoute.GzipPolicy {
        let word = try node.string("gzip")
        guard let policy = TableRoute.GzipPolicy(rawValue: word) else {
            throw node.fail("gzip must be \(TableRoute.GzipPolicy.allCases.map(\.rawValue).joined(separator: " or ")), not \"\(word)\"")
        }
        return policy
    }

    private static func doc(_ node: RouteFileNode) throws(RouteFileError) -> RouteDoc {
        let fields = try node.mapping(allowed: ["summary", "description", "response", "schema", "parameters"])
        var parameters = [String: JSONTree]()
        for (name, value) in try fields["parameters"]?.orderedPairs() ?? [] { parameters[name] = value.jsonTree() }
        return RouteDoc(
            summary: try fields["summary"]?.string("doc.summary"),
            description: try fields["description"]?.string("doc.description"),
            response: try fields["response"]?.string("doc.response"),
            schema: fields["schema"]?.jsonTree(),
            parameters: parameters
        )
    }

    /// The path's parameter name, refusing more than one, empty segments and partial-segment parameters.
    private static func parameter(of path: String, context: String) throws(RouteFileError) -> String? {
        guard path.hasPrefix("/"), path.count > 1 else { throw RouteFileError("\(context): the path must start with / and name something") }
        var parameter: String?
        for segment in path.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            guard !segment.isEmpty else { throw RouteFileError("\(context): the path has an empty segment") }
            let isParameter = segment.hasPrefix("{") && segment.hasSuffix("}") && segment.count > 2
            if segment.contains("{") || segment.contains("}") || segment.contains(":") || segment.contains("*") {
                guard isParameter else { throw RouteFileError("\(context): a parameter must be a whole segment, like /things/{id}") }
            }
            guard isParameter else {
                guard segment.allSatisfy({ $0.isLetter || $0.isNumber || "-_.~".contains($0) }) else {
                    throw RouteFileError("\(context): segment \"\(segment)\" has characters a path cannot carry as is")
                }
                continue
            }
            let name = String(segment.dropFirst().dropLast())
            guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !name.first!.isNumber else {
                throw RouteFileError("\(context): parameter {\(name)} must be a name of letters, digits and _")
            }
            guard parameter == nil else { throw RouteFileError("\(context): the path has two parameters; a route takes at most one") }
            parameter = name
        }
        return parameter
    }

    /// The path with its parameter name erased: two routes of the same shape would shadow each other.
    static func shape(of path: String) -> String {
        path.split(separator: "/").map { $0.hasPrefix("{") ? "{}" : String($0) }.joined(separator: "/")
    }

    /// Data files and key files live inside the data directory.
    static func checkRelative(_ path: String, context: String) throws(RouteFileError) {
        guard !path.isEmpty else { throw RouteFileError("\(context): a file path is empty") }
        guard !path.hasPrefix("/"), !path.hasPrefix("~") else {
            throw RouteFileError("\(context): file \"\(path)\" must be relative to the data directory, not absolute")
        }
        guard !path.split(separator: "/").contains("..") else {
            throw RouteFileError("\(context): file \"\(path)\" leaves the data directory")
        }
    }

    static func checkName(_ name: String, context: String) throws(RouteFileError) {
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw RouteFileError("\(context): a file name must be letters, digits, - _ or .")
        }
    }

    /// `state/weights.json.gz` → `state-weights`: a name without the directory layout's slashes or extensions.
    static func derivedName(_ path: String) -> String {
        var name = Substring(path)
        for suffix in [".gz", ".json"] where name.hasSuffix(suffix) { name = name.dropLast(suffix.count) }
        return name.split(separator: "/").joined(separator: "-")
    }
}
