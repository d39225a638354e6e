import NIOCore

/// A value bound to a `?` placeholder of portable SQL: the few column types the journal and the usage rows use, the
/// same for SQLite and PostgreSQL.
enum SQLValue: Sendable {
    case integer(Int64)
    case text(String)
    case blob(ByteBuffer)
    case null

    /// `.text(value)`, or `.null` when there is none.
    static func text(_ value: String?) -> SQLValue { value.map { .text($0) } ?? .null }

    /// `.integer(value)`, or `.null` when there is none.
    static func integer(_ value: Int?) -> SQLValue { value.map { .integer(Int64($0)) } ?? .null }
}
