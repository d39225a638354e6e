/// Where usage is kept durably, by key, route and hour: SQLite in the state folder's database (`SQLiteUsageStore`) for
/// one server, PostgreSQL (`PostgresUsageStore`) for replicas, both running the same SQL and passing the same tests.
package protocol UsageStore: Sendable {
    /// Adds `rows`' counts to the stored rows of the same key, route and hour (creating them), all or nothing.
    func add(_ rows: [UsageRow]) async throws
    /// The rows from `since` (an hour start, seconds since 1970) on, of `alias` or of every key, ordered by hour,
    /// key and route.
    func rows(alias: String?, since: Int64?) async throws -> [UsageRow]
    /// Each key's use since `since` (seconds since 1970) as its quota counts it.
    func totals(since: Int64) async throws -> [String: QuotaUsage]
}
