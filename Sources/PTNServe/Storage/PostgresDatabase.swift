import Logging
import PostgresNIO

/// The PostgreSQL database several replicas share: a pooled client that runs from the moment it is opened (the
/// journal and the usage rows are read before the server starts) until the database is closed.
package final class PostgresDatabase: Sendable {
    package let url: DatabaseURL
    let client: PostgresClient
    let logger: Logger
    private let runner: Task<Void, Never>

    private init(url: DatabaseURL, logger: Logger) {
        self.url = url
        self.logger = logger
        let client = PostgresClient(configuration: url.clientConfiguration, backgroundLogger: logger)
        self.client = client
        runner = Task { await client.run() }
    }

    /// Connects to `url` and checks the database answers within `deadline`; throws when it does not (at start-up
    /// the shared state must be there: a replica that cannot read the journal has no stream to serve).
    package static func open(_ url: DatabaseURL, logger: Logger, deadline: Duration = .seconds(10)) async throws -> PostgresDatabase {
        let database = PostgresDatabase(url: url, logger: logger)
        do {
            try await withDeadline(deadline) { try await database.client.query("SELECT 1", logger: logger) }
            return database
        } catch {
            database.close()
            throw error
        }
    }

    /// Creates `schema`'s tables if needed, one replica at a time (replicas starting together would race on CREATE
    /// TABLE IF NOT EXISTS).
    func createSchema(_ schema: [String]) async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(JournalSQL.schemaLock))", logger: logger)
            for statement in schema { try await connection.query(.portable(statement), logger: logger) }
        }
    }

    /// `operation`, run once more after creating `schema` if it failed on a missing table: a database dropped and
    /// created again under running replicas.
    func recreatingSchema<Value>(_ schema: [String], _ operation: () async throws -> Value) async throws -> Value {
        do {
            return try await operation()
        } catch where Self.isMissingTable(error) {
            logger.warning("a shared table is missing (a new database?); creating it")
            try await createSchema(schema)
            return try await operation()
        }
    }

    private static func isMissingTable(_ error: any Error) -> Bool {
        let error = (error as? PostgresTransactionError)?.closureError ?? error
        return (error as? PSQLError)?.serverInfo?[.sqlState] == "42P01"
    }

    /// Stops the pool: its connections close.
    package func close() {
        runner.cancel()
    }

    deinit {
        runner.cancel()
    }
}

/// `operation`, or `DeadlinePassed` once `deadline` has passed without its answer (a pool waiting for a database
/// that is down would wait on).
func withDeadline<Value: Sendable>(_ deadline: Duration, _ operation: @escaping @Sendable () async throws -> Value) async throws -> Value {
    try await withThrowingTaskGroup(of: Value?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: deadline)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw DeadlinePassed() }
        return value
    }
}

/// The database did not answer in time.
package struct DeadlinePassed: Error, CustomStringConvertible {
    package var description: String { "the database did not answer in time" }
}
