/// Recomputes a position's derived fields from its orders by a simplified replay of PTN's position bookkeeping.
///
/// Simplifications (PTN's exact fee and slippage math is not reproduced):
/// - Leverage is the position size; orders in the direction of the net leverage add to it at their fill price
///   (weighted average entry), opposite orders realize profit on the part they reduce, an order that crosses zero
///   reopens the remainder at its price, and a FLAT order, or any order that brings the net leverage to zero, closes
///   the position (as in PTN, where the real sample has a LONG closed by an equal SHORT).
/// - `current_return` = 1 + realized return + unrealized return at the last fill price (no fresh market price).
/// - `return_at_close` charges a flat `feePerTradedLeverage` on every unit of leverage traded.
/// - `realized_pnl` = price difference × reduced leverage; `cumulative_entry_value` = Σ |entry leverage| × price.
enum PositionReplay {
    /// Fee per unit of traded leverage; close to what the real BTCUSD sample shows.
    static let feePerTradedLeverage = 0.00005

    static func rebuild(_ position: JSONValue, orders: [JSONValue], openCloseMs: JSONValue) -> JSONValue {
        var book = Book()
        var closedAt: Int64?
        for order in orders {
            let price = order["price"]?.doubleValue ?? 0
            if order["order_type"]?.stringValue == "FLAT" {
                book.close(at: price)
                closedAt = order["processed_ms"]?.int64Value
                break
            }
            book.apply(leverage: order["leverage"]?.doubleValue ?? 0, price: price)
            if book.isFlat {
                closedAt = order["processed_ms"]?.int64Value
                break
            }
        }
        let positionType = closedAt != nil ? "FLAT" : (book.net > 0 ? "LONG" : (book.net < 0 ? "SHORT" : "FLAT"))
        let currentReturn = book.currentReturn
        let derived: [(String, JSONValue)] = [
            ("orders", .array(orders)),
            ("open_ms", orders.first?["processed_ms"] ?? .int(0)),
            ("current_return", .double(currentReturn)),
            ("close_ms", closedAt.map { .int($0) } ?? openCloseMs),
            ("net_leverage", .double(closedAt != nil ? 0.0 : book.net)),
            ("return_at_close", .double(currentReturn * (1 - feePerTradedLeverage * book.traded))),
            ("average_entry_price", .double(book.averagePrice)),
            ("cumulative_entry_value", .double(book.entryValue)),
            ("realized_pnl", .double(book.realizedPnl)),
            ("position_type", .string(positionType)),
            ("is_closed_position", .bool(closedAt != nil)),
        ]
        return derived.reduce(position) { $0.setting($1.0, to: $1.1) }
    }

    /// Running state of the replay.
    private struct Book {
        var net = 0.0
        var averagePrice = 0.0
        var realizedReturn = 0.0
        var realizedPnl = 0.0
        var entryValue = 0.0
        var traded = 0.0
        var lastPrice = 0.0

        /// Sums of float leverages leave dust such as 1e-17; below this the book counts as flat.
        private static let dust = 1e-9

        var isFlat: Bool { abs(net) <= Self.dust }

        var currentReturn: Double {
            guard abs(net) > Self.dust, averagePrice > 0 else { return 1 + realizedReturn }
            return 1 + realizedReturn + (lastPrice - averagePrice) / averagePrice * net
        }

        mutating func apply(leverage: Double, price: Double) {
            lastPrice = price
            traded += abs(leverage)
            if abs(net) <= Self.dust || (leverage > 0) == (net > 0) {
                addEntry(size: abs(leverage), price: price)
            } else {
                let reduced = min(abs(leverage), abs(net))
                realize(size: reduced, price: price)
                if abs(leverage) > abs(net) {
                    averagePrice = 0
                    addEntry(size: abs(leverage) - abs(net), price: price)
                }
            }
            net += leverage
        }

        mutating func close(at price: Double) {
            lastPrice = price
            traded += abs(net)
            realize(size: abs(net), price: price)
            net = 0
        }

        private mutating func addEntry(size: Double, price: Double) {
            let held = abs(net) <= Self.dust || averagePrice == 0 ? 0 : abs(net)
            averagePrice = (averagePrice * held + price * size) / (held + size)
            entryValue += size * price
        }

        private mutating func realize(size: Double, price: Double) {
            guard averagePrice > 0 else { return }
            let direction: Double = net > 0 ? 1 : -1
            realizedReturn += (price - averagePrice) / averagePrice * size * direction
            realizedPnl += (price - averagePrice) * size * direction
        }
    }
}
