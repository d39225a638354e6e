// The files a table reads: `files:`, a route's `file:` and `fallback`, `by_query`, `by_key_tier`, and `ready:`.
extension RouteFileBuilder {
    func readinessSets(_ node: RouteFileNode) throws(RouteFileError) -> [[String]] {
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

    /// A `file:` value: a name from `files:`, or one path / a list of alternate paths (declared on first use).
    mutating func fileChoice(_ node: RouteFileNode, fallback: RouteFileNode?, context: String) throws(RouteFileError) -> TableRoute.FileChoice {
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

    mutating func queryChoice(_ node: RouteFileNode, route: String) throws(RouteFileError) -> TableRoute.QueryChoice {
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

    mutating func tierChoices(_ node: RouteFileNode, route: String) throws(RouteFileError) -> [TableRoute.TierChoice] {
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
