/// What the routes reading one source filter by: per `items:` path, the values recorded for each item when an entry's
/// parts are made.
struct PartsPlan: Sendable, Hashable {
    var probes: [String: Set<Probe>] = [:]

    /// Adds what `filters` compare.
    mutating func add(_ filters: RouteFilters) {
        guard let path = filters.items else { return }
        var probes = self.probes[path, default: []]
        for parameter in filters.parameters {
            switch parameter.kind {
            case .equals(let field): probes.insert(.equals(field))
            case .choice(let field, _): probes.insert(.json(field))
            case .since(let times), .latest(let times): probes.insert(.latest(times))
            case .members: break
            }
        }
        self.probes[path] = probes
    }

    /// A value recorded per item.
    enum Probe: Sendable, Hashable {
        /// The string at the field, or its list's first string (PTN's `trade_pair`), else its JSON text.
        case equals(String)
        /// The field's JSON text as written (`false`).
        case json(String)
        /// The latest number at any of these paths (each order's `processed_ms`, `close_ms`).
        case latest([String])

        /// The paths the probe reads.
        var paths: [String] {
            switch self {
            case .equals(let field), .json(let field): [field]
            case .latest(let paths): paths
            }
        }
    }
}
