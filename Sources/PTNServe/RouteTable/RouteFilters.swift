/// A keyed route's `filters:`: the query parameters that narrow an entry, each declared once with what it does. The
/// `ptn` profile declares PTN's (`trade_pair`, `status`, `since_ms`, `limit` on each miner's `positions`, and `fields`).
package struct RouteFilters: Sendable, Hashable {
    /// The entry's nested array the item filters select from (dotted path from the entry); nil when none is declared.
    package let items: String?
    /// The parameters, in the order the route file gives them.
    package let parameters: [Parameter]

    /// One filter parameter.
    package struct Parameter: Sendable, Hashable {
        package let name: String
        package let kind: Kind
    }

    /// What a parameter does.
    package enum Kind: Sendable, Hashable {
        /// `?p=A,B`: items whose `field` (its first element, if it is a list) is one of the values.
        case equals(field: String)
        /// `?p=word`: items whose `field` is the JSON value the word stands for (`open` → `false`).
        case choice(field: String, values: [String: String])
        /// `?p=T`: items with any of these times (numbers; `orders.processed_ms` reads each order's) at or after T.
        case since(times: [String])
        /// `?p=N`: the N items with the latest of these times, kept in file order.
        case latest(times: [String])
        /// `?p=a,b`: only these members of the entry.
        case members
    }

    /// The names of every parameter, for messages and the unknown-parameter check.
    package var names: [String] { parameters.map(\.name) }
}
