import Foundation
import Logging
import NIOCore
import SQLiteNIO

/// Usage rows in a SQLite database: the state folder's `changes.sqlite`, beside the change journal (its own table, its
/// own connection). SQLiteNIO runs every statement on NIO's blocking thread pool, never on the cooperative pool.
package final class SQLiteUsageStore: UsageStore {
    private let connection: SQLiteConnection

    private init(connection: SQLiteConnection) {
        self.connection = connection
    }

    /// The database file in a state folder (the change journal's).
    package static func path(in stateDirectory: URL) -> String {
        stateDirectory.appendingPathComponent("changes.sqlite").path
    }

    /// Opens (creating if needed) the store at `path`, or one in memory when `path` is nil.
    package static func open(path: String?, logger: Logger) async throws -> SQLiteUsageStore {
        let connection = try await SQLiteConnection.open(storage: path.map { .file(path: $0) } ?? .memory, logger: logger)
        do {
            if path != nil {
                // The journal writes the same file: a write waits for the other's transaction rather than failing.
                _ = try await connection.query("PRAGMA busy_timeout=5000")
                _ = try await connection.query("PRAGMA journal_mode=WAL")
                _ = try await connection.query("PRAGMA synchronous=NORMAL")
            }
            for statement in UsageSQL.schema { _ = try await connection.query(statement) }
            return SQLiteUsageStore(connection: connection)
        } catch {
            // The future form: the async one does nothing in a cancelled task, and an open connection must not outlive it.
            try? await (connection.close() as EventLoopFuture<Void>).get()
            throw error
        }
    }

    package func add(_ rows: [UsageRow]) async throws {
        guard !rows.isEmpty else { return }
        _ = try await connection.query("BEGIN IMMEDIATE")
        do {
            for start in stride(from: 0, to: rows.count, by: UsageSQL.rowsPerInsert) {
                let chunk = rows[start..<min(start + UsageSQL.rowsPerInsert, rows.count)]
                let binds: [SQLiteData] = chunk.flatMap { row in
                    [.text(row.alias), .text(row.route), .integer(Int(row.hourStart)), .integer(Int(row.requests)), .integer(Int(row.bytes)),
                     .integer(Int(row.clientErrors)), .integer(Int(row.rateLimited)), .integer(Int(row.streamSeconds))]
                }
                _ = try await connection.query(UsageSQL.upsert(rows: chunk.count), binds)
            }
            _ = try await connection.query("COMMIT")
        } catch {
            _ = try? await connection.query("ROLLBACK")
            throw error
        }
    }

    package func rows(alias: String?, since: Int64?) async throws -> [UsageRow] {
        var binds = [SQLiteData]()
        if let alias { binds.append(.text(alias)) }
        if let since { binds.append(.integer(Int(since))) }
        return try await connection.query(UsageSQL.select(alias: alias != nil, since: since != nil), binds).compactMap { row in
            guard let alias = row.column("alias")?.string, let route = row.column("route")?.string,
                let hour = row.column("hour_start")?.integer
            else { return nil }
            func count(_ name: String) -> Int64 { Int64(row.column(name)?.integer ?? 0) }
            return UsageRow(
                alias: alias, route: route, hourStart: Int64(hour), requests: count("requests"), bytes: count("bytes"),
                clientErrors: count("client_errors"), rateLimited: count("rate_limited"), streamSeconds: count("stream_seconds")
            )
        }
    }

    package func totals(since: Int64) async throws -> [String: QuotaUsage] {
        var totals = [String: QuotaUsage]()
        for row in try await connection.query(UsageSQL.totals, [.integer(Int(since))]) {
            guard let alias = row.column("alias")?.string else { continue }
            totals[alias] = QuotaUsage(requests: Int64(row.column("requests")?.integer ?? 0), bytes: Int64(row.column("bytes")?.integer ?? 0))
        }
        return totals
    }

    /// The connection closes with the store, on the blocking pool.
    deinit {
        _ = connection.close() as EventLoopFuture<Void>
    }
}

extension SQLiteUsageStore {
    /// The store of `stateDirectory` for reading from the command line, with or without a server running (WAL lets
    /// both at it); nil when the server never wrote there.
    package static func openExisting(stateDirectory: URL, logger: Logger) async throws -> SQLiteUsageStore? {
        let path = path(in: stateDirectory)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try await open(path: path, logger: logger)
    }
}
