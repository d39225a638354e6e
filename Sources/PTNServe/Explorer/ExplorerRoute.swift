/// One route of the table as the explorer lists it: path, tier, summary, and where its entry names can be listed.
struct ExplorerRoute: Sendable, Equatable {
    let path: String
    let summary: String
    let tier: Int
    /// The path's parameter (`hotkey`), if any.
    let parameter: String?
    /// The route that lists the parameter's values: its path, and how to read them from its answer.
    let keysRoute: String?
    /// `list` (the answer is the list), `members` (the top-level object's names) or `array` (a field of an array's elements).
    let keysKind: String?
    let keysArray: String?
    let keysField: String?
    /// Query that makes the keys route's answer small (`checkpoints=false`, `fields=hotkey`).
    let keysQuery: String?
    /// The query parameters the route takes (filters, the file choice, the field strip), by name.
    let parameters: [String]

    /// Each route of `table`, with its keys source found among the table's other routes (reading the same file).
    static func all(in table: RouteTable) -> [ExplorerRoute] {
        table.routes.map { route in
            var keysRoute: String?
            var kind: String?
            var array: String?
            var field: String?
            var query: [String] = []
            let file = route.fileNames.first
            let siblings = table.routes.filter { $0.parameter == nil && $0.fileNames.first == file }
            switch route.select {
            case .member:
                if let list = siblings.first(where: { $0.select == .keys }) {
                    (keysRoute, kind) = (list.path, "list")
                } else if let whole = siblings.first(where: { $0.select == .whole }) {
                    (keysRoute, kind) = (whole.path, "members")
                }
            case .element(.array(let path, let key?)):
                if let whole = siblings.first(where: { $0.select == .whole }) {
                    (keysRoute, kind, array, field) = (whole.path, "array", path, key)
                    if let strip = whole.strip { query.append("\(strip.parameter)=\(strip.value)") }
                    if let fields = whole.filters?.parameters.first(where: { $0.kind == .members }) { query.append("\(fields.name)=\(key)") }
                }
            default:
                break
            }
            var parameters = route.filters?.names ?? []
            if let byQuery = route.byQuery { parameters.insert(byQuery.parameter, at: 0) }
            if let keyFilter = route.keyFilter { parameters.append(keyFilter.parameter) }
            if let strip = route.strip { parameters.append(strip.parameter) }
            return ExplorerRoute(
                path: route.path,
                summary: route.doc.summary ?? route.path,
                tier: route.byKeyTier.map(\.tier).min() ?? route.tier,
                parameter: route.parameter,
                keysRoute: keysRoute,
                keysKind: kind,
                keysArray: array,
                keysField: field,
                keysQuery: query.isEmpty ? nil : query.joined(separator: "&"),
                parameters: parameters
            )
        }
    }

    /// The template's view of the route.
    var context: [String: Any] {
        var context: [String: Any] = ["path": path, "summary": summary, "tier": tier, "parameters": parameters.joined(separator: ",")]
        if let parameter { context["parameter"] = parameter }
        if let keysRoute { context["keysRoute"] = keysRoute }
        if let keysKind { context["keysKind"] = keysKind }
        if let keysArray { context["keysArray"] = keysArray }
        if let keysField { context["keysField"] = keysField }
        if let keysQuery { context["keysQuery"] = keysQuery }
        return context
    }
}
