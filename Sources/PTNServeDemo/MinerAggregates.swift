/// Builds output.json's miner object from positions, computing the aggregates in PTN's spirit (closed positions only).
enum MinerAggregates {
    static let thirtyDaysMs: Int64 = 30 * 86_400_000

    static func entry(positions: [JSONValue], generationTimeMs: Int64) -> JSONValue {
        let closed = positions.filter { $0["is_closed_position"]?.boolValue == true }
        let recent = closed.filter { ($0["open_ms"]?.int64Value ?? 0) >= generationTimeMs - thirtyDaysMs }
        let profitable = closed.filter { ($0["return_at_close"]?.doubleValue ?? 1) > 1 }
        return .object([
            ("positions", .array(sortedByClose(positions))),
            ("thirty_day_returns", .double(product(recent))),
            ("all_time_returns", .double(product(closed))),
            ("n_positions", .int(Int64(closed.count))),
            ("percentage_profitable", .double(closed.isEmpty ? 0.0 : Double(profitable.count) / Double(closed.count))),
        ])
    }

    /// output.json's miner key order, for an object that already has the aggregates (the real samples are key-sorted).
    static func reordered(_ entry: JSONValue) -> JSONValue {
        let keys = ["positions", "thirty_day_returns", "all_time_returns", "n_positions", "percentage_profitable"]
        return .object(keys.compactMap { key in entry[key].map { (key, $0) } })
    }

    /// PTN's `sort_by_close_ms`: closed positions by close time, open ones (close_ms 0) last; stable for ties.
    static func sortedByClose(_ positions: [JSONValue]) -> [JSONValue] {
        func sortKey(_ position: JSONValue) -> Int64 {
            position["is_closed_position"]?.boolValue == true ? (position["close_ms"]?.int64Value ?? 0) : Int64.max
        }
        return positions.enumerated().sorted { lhs, rhs in
            let (left, right) = (sortKey(lhs.element), sortKey(rhs.element))
            return left != right ? left < right : lhs.offset < rhs.offset
        }.map(\.element)
    }

    private static func product(_ positions: [JSONValue]) -> Double {
        positions.reduce(1.0) { $0 * ($1["return_at_close"]?.doubleValue ?? 1.0) }
    }
}
