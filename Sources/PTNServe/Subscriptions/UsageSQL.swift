/// The usage table's SQL, in the subset SQLite and PostgreSQL share (`ON CONFLICT ... DO UPDATE`, `BIGINT`, `CAST`, `?`
/// placeholders `PostgresQuery.portable` numbers as `$n`): `SQLiteUsageStore` and `PostgresUsageStore` run it as is.
enum UsageSQL {
    static let schema = [
        """
        CREATE TABLE IF NOT EXISTS usage_hours(alias TEXT NOT NULL, route TEXT NOT NULL, hour_start BIGINT NOT NULL,
            requests BIGINT NOT NULL, bytes BIGINT NOT NULL, client_errors BIGINT NOT NULL, rate_limited BIGINT NOT NULL,
            stream_seconds BIGINT NOT NULL, PRIMARY KEY(alias, route, hour_start))
        """,
        "CREATE INDEX IF NOT EXISTS usage_hours_by_hour ON usage_hours(hour_start)",
    ]

    /// Rows per insert statement: 8 values each, far below every engine's limit on placeholders.
    static let rowsPerInsert = 500

    /// Adds `rows` rows of counts to the stored ones.
    static func upsert(rows: Int) -> String {
        "INSERT INTO usage_hours(alias, route, hour_start, requests, bytes, client_errors, rate_limited, stream_seconds) VALUES "
            + Array(repeating: "(?,?,?,?,?,?,?,?)", count: rows).joined(separator: ",")
            + " ON CONFLICT(alias, route, hour_start) DO UPDATE SET requests = usage_hours.requests + excluded.requests,"
            + " bytes = usage_hours.bytes + excluded.bytes, client_errors = usage_hours.client_errors + excluded.client_errors,"
            + " rate_limited = usage_hours.rate_limited + excluded.rate_limited,"
            + " stream_seconds = usage_hours.stream_seconds + excluded.stream_seconds"
    }

    static func select(alias: Bool, since: Bool) -> String {
        let conditions = (alias ? ["alias = ?"] : []) + (since ? ["hour_start >= ?"] : [])
        return "SELECT alias, route, hour_start, requests, bytes, client_errors, rate_limited, stream_seconds FROM usage_hours"
            + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
            + " ORDER BY hour_start, alias, route"
    }

    static let totals = """
        SELECT alias, CAST(SUM(requests - rate_limited) AS BIGINT) AS requests, CAST(SUM(bytes) AS BIGINT) AS bytes FROM usage_hours
            WHERE hour_start >= ? GROUP BY alias
        """
}
