import PostgresNIO

extension PostgresQuery {
    /// `sql` written with `?` placeholders (the subset SQLite and PostgreSQL share), numbered `$1, $2, ...` for
    /// PostgreSQL, with `values` bound in order. The SQL never holds a `?` of its own (no string literals with one).
    static func portable(_ sql: String, _ values: [SQLValue] = []) -> PostgresQuery {
        var numbered = ""
        numbered.reserveCapacity(sql.utf8.count + values.count * 3)
        var index = 0
        for character in sql {
            if character == "?" {
                index += 1
                numbered += "$\(index)"
            } else {
                numbered.append(character)
            }
        }
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .integer(let number): bindings.append(number)
            case .text(let text): bindings.append(text)
            case .blob(let bytes): bindings.append(bytes)
            case .null: bindings.appendNull()
            }
        }
        return PostgresQuery(unsafeSQL: numbered, binds: bindings)
    }
}
