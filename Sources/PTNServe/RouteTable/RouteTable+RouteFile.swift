import Yams

extension RouteTable {
    /// The table written back as a route file (YAML), as `ptn-serve routes show` prints it: every default spelled out.
    package var routeFileText: String {
        var top = [(String, Node)]()
        top.append(("profile", Self.text(profile)))
        if let description { top.append(("description", Self.text(description))) }
        if !apiKeyFiles.isEmpty { top.append(("api_keys", Self.list(apiKeyFiles))) }
        top.append(("files", Self.map(files.map { file in
            let path = file.candidates.count == 1 ? Self.text(file.candidates[0]) : Self.list(file.candidates)
            return (file.name, file.compress ? path : Self.map([("path", path), ("compress", Node("false", Tag(.bool)))]))
        })))
        top.append(("ready", Self.map([("any_of", Node.sequence(Node.Sequence(readiness.map { Self.list($0, style: .flow) })))])))
        top.append(("routes", Node.sequence(Node.Sequence(routes.map(Self.routeNode)))))
        if let explorer {
            let values = [explorer.leaderboard, explorer.minerPositions, explorer.minerStatistics]
            top.append(("explorer", Self.map(zip(ExplorerViews.keys, values).map { ($0, Self.text($1)) })))
        }
        return (try? Yams.serialize(node: Self.map(top), width: 120, allowUnicode: true)) ?? ""
    }

    private static func routeNode(_ route: TableRoute) -> Node {
        var fields = [(String, Node)]()
        fields.append(("path", text(route.path)))
        if let source = route.source { fields += fileFields(source) }
        switch route.select {
        case .whole: fields.append(("select", text("whole")))
        case .member: fields.append(("select", text("member")))
        case .keys: fields.append(("select", text("keys")))
        case .element(let source):
            switch source {
            case .array(let path, let key): fields.append(("select", map([("array", text(path)), ("key", text(key ?? ""))])))
            case .object(let path): fields.append(("select", map([("object", text(path))])))
            case .members: fields.append(("select", text("member")))
            }
        }
        if route.wrapsInKey { fields.append(("wrap", text("key"))) }
        fields.append(("tier", int(route.tier)))
        fields.append(("gzip", text(route.gzip.rawValue)))
        fields.append(("not_found", text(route.messages.notFound)))
        fields.append(("unknown_key", text(route.messages.unknownKey)))
        if let members = route.messages.unknownKeyMembers { fields.append(("unknown_key_members", node(members))) }
        if let empty = route.messages.empty { fields.append(("empty", text(empty))) }
        if let forbidden = route.messages.forbidden { fields.append(("forbidden", text(forbidden))) }
        if let byQuery = route.byQuery {
            fields.append(("by_query", map([
                ("param", text(byQuery.parameter)),
                ("invalid", text(byQuery.invalid)),
                ("gzip", text(byQuery.gzip.rawValue)),
                ("values", map(byQuery.values.map { ($0.value, map(fileFields($0.file) + [("tier", int($0.tier))])) })),
            ])))
        }
        if !route.byKeyTier.isEmpty {
            fields.append(("by_key_tier", Node.sequence(Node.Sequence(route.byKeyTier.map { map([("tier", int($0.tier))] + fileFields($0.file)) }))))
        }
        if let strip = route.strip {
            fields.append(("strip", map([("param", text(strip.parameter)), ("value", text(strip.value)), ("field", text(strip.field))]
                + (strip.array.map { [("array", text($0))] } ?? []))))
        }
        switch route.feed {
        case .automatic: break
        case .off: fields.append(("feed", Node("false", Tag(.bool))))
        case .whole: fields.append(("feed", text("whole")))
        case .items(let items):
            var feed = [("items", text(items.path)), ("key", text(items.key))]
            if let facet = items.facet {
                feed.append(("facet", facet.path == facet.name ? text(facet.name) : map([("name", text(facet.name)), ("path", text(facet.path))])))
            }
            fields.append(("feed", map(feed)))
        }
        if let keyFilter = route.keyFilter {
            switch keyFilter.source {
            case .members: fields.append(("key_filter", text(keyFilter.parameter)))
            case .array(let path, let key):
                fields.append(("key_filter", map([("param", text(keyFilter.parameter)), ("array", text(path)), ("key", text(key ?? ""))])))
            case .object: break  // the parser makes key filters of the top level's members or an array's elements only
            }
        }
        if let filters = route.filters {
            var pairs = filters.items.map { [("items", text($0))] } ?? []
            for parameter in filters.parameters {
                let spec: Node
                switch parameter.kind {
                case .members: spec = text("members")
                case .equals(let field): spec = map([("equals", text(field))])
                case .since(let times): spec = map([("since", list(times, style: .flow))])
                case .latest(let times): spec = map([("latest", list(times, style: .flow))])
                case .choice(let field, let values):
                    spec = map([("field", text(field)), ("values", map(values.sorted { $0.key < $1.key }.map { ($0.key, Node($0.value)) }))])
                }
                pairs.append((parameter.name, spec))
            }
            fields.append(("filters", map(pairs)))
        }
        let doc = route.doc
        var docFields = [(String, Node)]()
        if let summary = doc.summary { docFields.append(("summary", text(summary))) }
        if let description = doc.description { docFields.append(("description", text(description))) }
        if let response = doc.response { docFields.append(("response", text(response))) }
        if let schema = doc.schema { docFields.append(("schema", node(schema))) }
        if !doc.parameters.isEmpty { docFields.append(("parameters", map(doc.parameters.sorted { $0.key < $1.key }.map { ($0.key, node($0.value)) }))) }
        if !docFields.isEmpty { fields.append(("doc", map(docFields))) }
        return map(fields)
    }

    private static func fileFields(_ choice: TableRoute.FileChoice) -> [(String, Node)] {
        [("file", text(choice.files[0]))] + (choice.files.count > 1 ? [("fallback", text(choice.files[1]))] : [])
    }

    private static func map(_ pairs: [(String, Node)]) -> Node {
        .mapping(Node.Mapping(pairs.map { (text($0.0), $0.1) }))
    }

    private static func list(_ values: [String], style: Node.Sequence.Style = .any) -> Node {
        .sequence(Node.Sequence(values.map { text($0) }, .implicit, style))
    }

    /// A string scalar, quoted where YAML would read it as something else (`"false"`, `"0"`, `"null"`).
    private static func text(_ value: String) -> Node {
        let plain = Node(value)
        let ambiguous = plain.bool != nil || plain.int != nil || plain.float != nil || plain.null != nil || value.isEmpty
        return ambiguous ? Node(value, Tag(.str), .doubleQuoted) : plain
    }

    private static func int(_ value: Int) -> Node { Node(String(value), Tag(.int)) }

    private static func node(_ tree: JSONTree) -> Node {
        switch tree {
        case .string(let value): text(value)
        case .number(let value): Node(String(value), Tag(.float))
        case .integer(let value): int(value)
        case .bool(let value): Node(value ? "true" : "false", Tag(.bool))
        case .null: Node("null", Tag(.null))
        case .array(let elements): .sequence(Node.Sequence(elements.map(node)))
        case .object(let members): map(members.map { ($0.0, node($0.1)) })
        }
    }
}
