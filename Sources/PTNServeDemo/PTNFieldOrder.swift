/// Puts position, order and price-source keys in PTN's model order, the order `json.dumps` writes in output.json.
///
/// The samples were captured from a key-sorted `jsonify` response; the validator's own files use insertion order.
enum PTNFieldOrder {
    static let position = [
        "miner_hotkey", "position_uuid", "open_ms", "trade_pair", "orders", "current_return", "close_ms", "net_leverage",
        "return_at_close", "average_entry_price", "cumulative_entry_value", "account_size", "realized_pnl", "position_type",
        "is_closed_position",
    ]
    static let order = [
        "order_type", "leverage", "price", "bid", "ask", "slippage", "processed_ms", "order_uuid", "price_sources", "src",
    ]
    static let priceSource = [
        "source", "timespan_ms", "open", "close", "vwap", "high", "low", "start_ms", "websocket", "lag_ms", "bid", "ask",
    ]

    static func canonicalPosition(_ position: JSONValue) -> JSONValue {
        let orders = (position["orders"]?.arrayValue ?? []).map { order in
            let sources = (order["price_sources"]?.arrayValue ?? []).map { reorder($0, by: priceSource) }
            return reorder(order, by: self.order).setting("price_sources", to: .array(sources))
        }
        return reorder(position, by: self.position).setting("orders", to: .array(orders))
    }

    /// Known keys first in `keyOrder`, unknown keys after them in their original order.
    private static func reorder(_ value: JSONValue, by keyOrder: [String]) -> JSONValue {
        guard let pairs = value.objectPairs else { return value }
        let known = keyOrder.compactMap { key in pairs.first { $0.0 == key } }
        let unknown = pairs.filter { !keyOrder.contains($0.0) }
        return .object(known + unknown)
    }
}
