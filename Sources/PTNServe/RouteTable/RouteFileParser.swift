import Yams

/// Reads a route file (YAML or JSON) into a validated `RouteTable`, refusing anything ambiguous with a message that
/// names the route and the problem.
enum RouteFileParser {
    static let topLevelKeys = ["profile", "extends", "description", "api_keys", "files", "ready", "routes", "explorer"]
    static let fileKeys = ["path", "compress"]
    static let routeKeys = [
        "path", "file", "fallback", "select", "tier", "gzip", "not_found", "unknown_key", "unknown_key_members", "empty", "forbidden", "by_query",
        "by_key_tier", "strip", "doc", "feed", "filters", "key_filter", "wrap",
    ]
    /// Parses `text`; `profiles` resolves `extends:` to a built-in profile's text; no route may use a `reserved` path.
    static func parse(
        _ text: String, profiles: (String) -> String?, reserved: ReservedPaths = ReservedPaths()
    ) throws(RouteFileError) -> RouteTable {
        let root = try merged(try compose(text), profiles: profiles, depth: 0)
        var builder = RouteFileBuilder(root: root, reserved: reserved)
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

/// One pass over a composed route file. The clauses are read in `RouteFileParser+*.swift`.
struct RouteFileBuilder {
    let root: Node
    let reserved: ReservedPaths
    /// The files declared so far (by `files:`, or by a route's `file:` on first use).
    var files: [ServedFile] = []

    init(root: Node, reserved: ReservedPaths) {
        self.root = root
        self.reserved = reserved
    }

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
        let explorer = try top["explorer"].map { node throws(RouteFileError) in try Self.explorerViews(node, routes: routes) }
        return RouteTable(
            profile: profile, description: description, apiKeyFiles: apiKeys, files: files, routes: routes, readiness: readiness, explorer: explorer
        )
    }

    /// `explorer: {leaderboard: REQUEST, miner_positions: PATH, miner_statistics: PATH}`: each a route of this table, the
    /// miner's with one `{parameter}`.
    private static func explorerViews(_ node: RouteFileNode, routes: [TableRoute]) throws(RouteFileError) -> ExplorerViews {
        let fields = try node.mapping(allowed: ExplorerViews.keys)
        var values = [String]()
        for key in ExplorerViews.keys {
            guard let field = fields[key] else { throw node.fail("`explorer` needs \(ExplorerViews.keys.joined(separator: ", "))") }
            let request = try field.string("explorer.\(key)")
            let path = ExplorerViews.routePath(request)
            guard routes.contains(where: { $0.path == path }) else { throw node.fail("explorer.\(key): no route \(path) in this table") }
            let parameters = path.split(separator: "/").filter { $0.hasPrefix("{") }.count
            guard parameters == (key == "leaderboard" ? 0 : 1) else {
                throw node.fail("explorer.\(key): \(path) must have \(key == "leaderboard" ? "no" : "one") {parameter}")
            }
            values.append(request)
        }
        return ExplorerViews(leaderboard: values[0], minerPositions: values[1], minerStatistics: values[2])
    }

    private mutating func buildRoute(_ node: RouteFileNode, position: Int) throws(RouteFileError) -> TableRoute {
        let path = node.node.mapping?["path"]?.scalar?.string
        let context = path.map { "route \($0)" } ?? "route #\(position)"
        let fields = try RouteFileNode(node: node.node, context: context).mapping(allowed: RouteFileParser.routeKeys)
        guard let path else { throw RouteFileError("\(context): needs a `path`") }
        let parameter = try Self.parameter(of: path, context: context)
        if reserved.contains(path) {
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
}
