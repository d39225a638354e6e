import PostgresNIO

/// Usage rows in the PostgreSQL database replicas share: every replica adds its own counts to the same rows (the
/// upsert adds, it never overwrites), so the rows are the service's total. The SQL is `UsageSQL`, the SQLite store's.
package final class PostgresUsageStore: UsageStore {
    let database: PostgresDatabase

    private init(database: PostgresDatabase) {
        self.database = database
    }

    /// Creates the table if needed (one replica at a time).
    package static func open(_ database: PostgresDatabase) async throws -> PostgresUsageStore {
        try await database.createSchema(UsageSQL.schema)
        return PostgresUsageStore(database: database)
    }

    package func add(_ rows: [UsageRow]) async throws {
        guard !rows.isEmpty else { return }
        // Rows in a fixed order: two replicas adding to the same rows lock them in the same order, never in a cycle.
        let sorted = rows.sorted { ($0.alias, $0.route, $0.hourStart) < ($1.alias, $1.route, $1.hourStart) }
        try await database.recreatingSchema(UsageSQL.schema) {
            try await database.client.withTransaction(logger: database.logger) { connection in
                for chunk in JournalSQL.chunks(sorted, size: UsageSQL.rowsPerInsert) {
                    let values: [SQLValue] = chunk.flatMap { row in
                        [.text(row.alias), .text(row.route), .integer(row.hourStart), .integer(row.requests), .integer(row.bytes),
                         .integer(row.clientErrors), .integer(row.rateLimited), .integer(row.streamSeconds)]
                    }
                    try await connection.query(.portable(UsageSQL.upsert(rows: chunk.count), values), logger: database.logger)
                }
            }
        }
    }

    package func rows(alias: String?, since: Int64?) async throws -> [UsageRow] {
        var values = [SQLValue]()
        if let alias { values.append(.text(alias)) }
        if let since { values.append(.integer(since)) }
        var rows = [UsageRow]()
        let result = try await database.client.query(.portable(UsageSQL.select(alias: alias != nil, since: since != nil), values))
        for try await (alias, route, hour, requests, bytes, errors, limited, seconds) in result.decode(
            (String, String, Int64, Int64, Int64, Int64, Int64, Int64).self
        ) {
            rows.append(UsageRow(
                alias: alias, route: route, hourStart: hour, requests: requests, bytes: bytes, clientErrors: errors, rateLimited: limited,
                streamSeconds: seconds
            ))
        }
        return rows
    }

    package func totals(since: Int64) async throws -> [String: QuotaUsage] {
        var totals = [String: QuotaUsage]()
        let result = try await database.client.query(.portable(UsageSQL.totals, [.integer(since)]))
        for try await (alias, requests, bytes) in result.decode((String, Int64, Int64).self) {
            totals[alias] = QuotaUsage(requests: requests, bytes: bytes)
        }
        return totals
    }
}
