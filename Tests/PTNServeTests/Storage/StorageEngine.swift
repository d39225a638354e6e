import Foundation
import Synchronization
import Testing
@testable import PTNServe

/// The engines the storage protocols (`ChangeJournal`, `UsageStore`) have: their suites are written once and run
/// against each. `memory` is what a server without a state folder uses.
enum StorageEngine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory, sqlite, postgres

    var testDescription: String { rawValue }

    /// The engines whose data outlives the object that wrote it.
    static let durable: [StorageEngine] = [.sqlite, .postgres]

    /// Runs `body` with a way to open this engine's journal on one fresh storage (each call a new object on the same
    /// data, as a restart would make; PostgreSQL's takes the writer's term), then removes the storage.
    func withJournals(_ body: (@Sendable () async throws -> any ChangeJournal) async throws -> Void) async throws {
        switch self {
        case .memory:
            let journal = try await SQLiteChangeJournal.open(path: nil, logger: quietLogger)
            try await body { journal }
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ptn-serve-journal-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let path = folder.appendingPathComponent("changes.sqlite").path
            try await body { try await SQLiteChangeJournal.open(path: path, logger: quietLogger) }
        case .postgres:
            try await withTestPostgres { server in
                let url = try await server.createDatabase()
                let databases = DatabaseList()
                defer { databases.closeAll() }
                try await body {
                    let journal = try await PostgresChangeJournal.open(try await databases.open(url))
                    try await journal.takeOver()
                    return journal
                }
            }
        }
    }

    /// Runs `body` with a way to open this engine's usage store on one fresh storage, then removes the storage.
    func withUsageStores(_ body: (@Sendable () async throws -> any UsageStore) async throws -> Void) async throws {
        switch self {
        case .memory:
            let store = InMemoryUsageStore()
            try await body { store }
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ptn-serve-usage-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            try await body { try await SQLiteUsageStore.open(path: SQLiteUsageStore.path(in: folder), logger: quietLogger) }
        case .postgres:
            try await withTestPostgres { server in
                let url = try await server.createDatabase()
                let databases = DatabaseList()
                defer { databases.closeAll() }
                try await body { try await PostgresUsageStore.open(try await databases.open(url)) }
            }
        }
    }
}

/// The database clients a test opened, closed at its end (before its server stops).
final class DatabaseList: Sendable {
    private let opened = Mutex<[PostgresDatabase]>([])

    func open(_ url: DatabaseURL) async throws -> PostgresDatabase {
        let database = try await PostgresDatabase.open(url, logger: quietLogger)
        opened.withLock { $0.append(database) }
        return database
    }

    func closeAll() {
        for database in opened.withLock({ $0 }) { database.close() }
    }
}
