import Foundation

/// What each route of a table will serve, in words, for `ptn-serve routes check` and `config check`.
package struct RouteTableSummary {
    package let table: RouteTable
    /// When given, each file is shown as present or not under it.
    package let dataRoot: URL?

    package init(table: RouteTable, dataRoot: URL? = nil) {
        self.table = table
        self.dataRoot = dataRoot
    }

    package var text: String {
        var lines = ["profile \(table.profile): \(table.routes.count) routes, \(table.files.count) files"]
        for route in table.routes {
            lines.append("  GET \(route.path)  \(Self.serves(route))\(route.tier > 0 ? ", key tier >= \(route.tier)" : "")")
        }
        lines.append("files:")
        for file in table.files {
            var line = "  \(file.name): \(file.candidates.joined(separator: " or "))"
            if let dataRoot {
                let present = file.candidates.contains { FileManager.default.fileExists(atPath: dataRoot.appendingPathComponent($0).path) }
                line += present ? "  (present)" : "  (not there yet: its routes answer 404)"
            }
            lines.append(line)
        }
        lines.append("ready when loaded: " + table.readiness.map { $0.joined(separator: " + ") }.joined(separator: ", or "))
        return lines.joined(separator: "\n")
    }

    private static func serves(_ route: TableRoute) -> String {
        var text: String
        let file = route.source.map { $0.files.joined(separator: ", else ") } ?? "the file the key's tier picks"
        switch route.select {
        case .whole: text = "the whole of \(file)"
        case .member: text = "member {\(route.parameter ?? "")} of \(file)"
        case .keys: text = "the member names of \(file)"
        case .element(.object(let path)): text = "member {\(route.parameter ?? "")} of \"\(path)\" in \(file)"
        case .element(let source): text = "the element of \(source) in \(file)"
        }
        if let byQuery = route.byQuery {
            text += "; ?\(byQuery.parameter)=" + byQuery.values.map { "\($0.value) -> \($0.file.files[0]) (tier >= \($0.tier))" }.joined(separator: ", ")
        }
        if !route.byKeyTier.isEmpty {
            text += "; by key tier: " + route.byKeyTier.map { ">= \($0.tier) -> \($0.file.files.joined(separator: " else "))" }.joined(separator: ", ")
        }
        if let strip = route.strip { text += "; ?\(strip.parameter)=\(strip.value) drops \(strip.field)" }
        if route.wrapsInKey { text += "; answered as {key: entry}" }
        return text
    }
}
