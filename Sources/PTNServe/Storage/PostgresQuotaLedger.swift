import PostgresNIO

/// Quota leases in the PostgreSQL database replicas share: one row per key and period with the total leased, locked
/// while a lease is granted, so the total never passes the quota.
final class PostgresQuotaLedger: QuotaLedger {
    let database: PostgresDatabase

    static let schema = [
        """
        CREATE TABLE IF NOT EXISTS quota_leases(alias TEXT NOT NULL, period TEXT NOT NULL, period_start BIGINT NOT NULL,
            requests BIGINT NOT NULL, bytes BIGINT NOT NULL, PRIMARY KEY(alias, period, period_start))
        """,
    ]

    private init(database: PostgresDatabase) {
        self.database = database
    }

    /// Creates the table if needed (one replica at a time).
    static func open(_ database: PostgresDatabase) async throws -> PostgresQuotaLedger {
        try await database.createSchema(schema)
        return PostgresQuotaLedger(database: database)
    }

    func lease(alias: String, period: QuotaPeriod, start: Int64, want: QuotaUsage, limit: QuotaUsage) async throws -> QuotaLease {
        let (database, logger) = (self.database, database.logger)
        let row: [SQLValue] = [.text(alias), .text(period.rawValue), .integer(start)]
        // A request waits for its lease: given up after 5 s (a lease that commits later is only quota left unused).
        return try await withDeadline(.seconds(5)) {
            try await database.recreatingSchema(Self.schema) {
                try await database.client.withTransaction(logger: logger) { connection in
                    try await connection.query(.portable(
                        "INSERT INTO quota_leases(alias, period, period_start, requests, bytes) VALUES (?, ?, ?, 0, 0) ON CONFLICT DO NOTHING", row
                    ), logger: logger)
                    let held = try await connection.query(.portable(
                        "SELECT requests, bytes FROM quota_leases WHERE alias = ? AND period = ? AND period_start = ? FOR UPDATE", row
                    ), logger: logger).collect()
                    guard let (requests, bytes) = try held.first?.decode((Int64, Int64).self) else { return QuotaLease(granted: QuotaUsage(), leased: QuotaUsage()) }
                    let granted = QuotaUsage(
                        requests: max(0, min(want.requests, limit.requests - requests)), bytes: max(0, min(want.bytes, limit.bytes - bytes))
                    )
                    if granted.requests > 0 || granted.bytes > 0 {
                        try await connection.query(.portable(
                            "UPDATE quota_leases SET requests = requests + ?, bytes = bytes + ? WHERE alias = ? AND period = ? AND period_start = ?",
                            [.integer(granted.requests), .integer(granted.bytes)] + row
                        ), logger: logger)
                    }
                    return QuotaLease(granted: granted, leased: QuotaUsage(requests: requests, bytes: bytes) + granted)
                }
            }
        }
    }
}
