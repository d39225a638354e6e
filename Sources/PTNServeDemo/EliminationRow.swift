/// Builds one `eliminations.json` row, as PTN's validator writes them.
enum EliminationRow {
    static func make(hotkey: String, reason: String, at timeMs: Int64, drawdown: Double, lastPosition: JSONValue?) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("hotkey", .string(hotkey)),
            ("elimination_initiated_time_ms", .int(timeMs)),
            ("dd", .double(reason == "LIQUIDATED" ? 0.0 : drawdown)),
            ("reason", .string(reason)),
        ]
        if reason == "LIQUIDATED" {
            // A liquidation records the price that triggered it and the per-pair returns at that moment.
            let pair = lastPosition?["trade_pair"]?.arrayValue?.first?.stringValue ?? "BTCUSD"
            let price = lastPosition?["orders"]?.arrayValue?.last?["price"] ?? .double(0)
            let returned = lastPosition?["return_at_close"] ?? .double(1)
            pairs.append(("price_info", .object([(pair, .array([price, .int(timeMs)]))])))
            pairs.append(("return_info", .object([("dd_stats", .object([])), ("returns", .object([(pair, returned)]))])))
        }
        return .object(pairs)
    }
}
