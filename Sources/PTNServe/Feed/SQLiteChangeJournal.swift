import Foundation
import Logging
import NIOCore
import SQLiteNIO

/// The change journal in one SQLite file (or in memory when no file can be had). Writes go through one connection in
/// transactions; reads through a second one (WAL lets them run beside a write), so a reader never sees half a write.
package final class SQLiteChangeJournal: ChangeJournal {
    private let writer: SQLiteConnection
    private let reader: SQLiteConnection

    private init(writer: SQLiteConnection, reader: SQLiteConnection) {
        self.writer = writer
        self.reader = reader
    }

    /// Opens (creating if needed) the journal at `path`, or one in memory when `path` is nil. A new journal's numbers
    /// start after `lastSequence`. Throws when the file cannot be opened or is not a journal (corrupt, another kind of
    /// file).
    package static func open(path: String?, logger: Logger, lastSequence: Int64 = 0) async throws -> SQLiteChangeJournal {
        let storage: SQLiteConnection.Storage = path.map { .file(path: $0) } ?? .memory
        let writer = try await SQLiteConnection.open(storage: storage, logger: logger)
        do {
            if path != nil {
                // Another process writing the same journal (a misconfiguration) is waited for, not taken as corruption.
                _ = try await writer.query("PRAGMA busy_timeout=5000")
                _ = try await writer.query("PRAGMA journal_mode=WAL")
                // A commit is in the write-ahead log before its events are published, so a crash of the process
                // (kill -9 included) never loses a number given out; only a power cut could lose the last commits.
                _ = try await writer.query("PRAGMA synchronous=NORMAL")
            }
            for statement in schema { _ = try await writer.query(statement) }
            // Journals written before facets were declared name the column after PTN's one facet.
            if try await writer.query("SELECT 1 FROM pragma_table_info('events') WHERE name = 'trade_pair'").isEmpty == false {
                _ = try await writer.query("ALTER TABLE events RENAME COLUMN trade_pair TO facet")
            }
            if try await writer.query("SELECT value FROM meta WHERE name = 'epoch'").isEmpty {
                _ = try await writer.query("INSERT INTO meta(name, value) VALUES ('epoch', ?), ('last_sequence', ?)", [.text(newEpoch()), .text(String(lastSequence))])
            }
            // An in-memory database cannot be opened twice: it reads through its one connection.
            var reader = writer
            if let path { reader = try await SQLiteConnection.open(storage: .file(path: path), logger: logger) }
            return SQLiteChangeJournal(writer: writer, reader: reader)
        } catch {
            // The future form: the async one does nothing in a cancelled task, and an open connection must not outlive it.
            try? await (writer.close() as EventLoopFuture<Void>).get()
            throw error
        }
    }

    private static let schema = [
        "CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS events(sequence INTEGER PRIMARY KEY, timestamp INTEGER NOT NULL, feed TEXT NOT NULL,
            kind TEXT NOT NULL, key TEXT, item_key TEXT, facet TEXT, etag TEXT, size INTEGER, body BLOB)
        """,
        "CREATE INDEX IF NOT EXISTS events_by_time ON events(timestamp)",
        "CREATE TABLE IF NOT EXISTS baseline_files(feed TEXT PRIMARY KEY, etag TEXT NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS baseline_entries(feed TEXT NOT NULL, key TEXT NOT NULL, digest BLOB NOT NULL,
            PRIMARY KEY(feed, key)) WITHOUT ROWID
        """,
    ]

    /// A random name for a new history: 16 hex digits.
    static func newEpoch() -> String {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() as UInt64
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    package func load() async throws -> JournalContents {
        var meta = [String: String]()
        for row in try await writer.query("SELECT name, value FROM meta") {
            if let name = row.column("name")?.string, let value = row.column("value")?.string { meta[name] = value }
        }
        guard let epoch = meta["epoch"], let last = meta["last_sequence"].flatMap({ Int64($0) }) else {
            throw Unreadable(description: "the journal has no epoch")
        }
        var baselines = [String: FeedBaseline]()
        for row in try await writer.query("SELECT feed, etag FROM baseline_files") {
            guard let feed = row.column("feed")?.string, let etag = row.column("etag")?.string else { continue }
            baselines[feed] = FeedBaseline(etag: etag)
        }
        for row in try await writer.query("SELECT feed, key, digest FROM baseline_entries") {
            guard let feed = row.column("feed")?.string, let key = row.column("key")?.string,
                case .blob(let blob)? = row.column("digest"), let digest = EntryDigest(encoded: blob)
            else { continue }
            baselines[feed]?.entries[key] = digest
        }
        // The highest number ever given survives trims that empty the table, and is never behind an event held.
        let held = try await writer.query("SELECT MAX(sequence) AS last FROM events").first?.column("last")?.integer.map(Int64.init) ?? 0
        return JournalContents(epoch: epoch, lastSequence: max(last, held), baselines: baselines)
    }

    package func append(_ events: [ChangeEvent], timestamp: Int64, baselines: [BaselineUpdate]) async throws -> [ChangeEvent] {
        // Few statements, each over many rows: every statement is one trip to the blocking pool.
        _ = try await writer.query("BEGIN IMMEDIATE")
        do {
            // The write lock is held from BEGIN IMMEDIATE: the numbers are taken under it.
            let last = try await storedLastSequence()
            let events = events.enumerated().map { $0.element.numbered(last + 1 + Int64($0.offset), at: timestamp) }
            let lastSequence = last + Int64(events.count)
            try await insert(
                "events(sequence, timestamp, feed, kind, key, item_key, facet, etag, size, body)",
                rows: events.map { event in
                    [
                        .integer(Int(event.sequence)), .integer(Int(event.timestamp)), .text(event.feed), .text(event.kind.rawValue),
                        Self.text(event.key), Self.text(event.itemKey), Self.text(event.facet), Self.text(event.etag),
                        event.size.map { .integer($0) } ?? .null, event.body.map { .blob($0) } ?? .null,
                    ]
                }
            )
            _ = try await writer.query("UPDATE meta SET value = ? WHERE name = 'last_sequence'", [.text(String(lastSequence))])
            try await insert("baseline_files(feed, etag)", rows: baselines.map { [.text($0.feed), .text($0.etag)] }, replacing: true)
            for baseline in baselines where !baseline.removals.isEmpty {
                for chunk in Self.chunks(baseline.removals, size: 500) {
                    _ = try await writer.query(
                        "DELETE FROM baseline_entries WHERE feed = ? AND key IN (" + Self.placeholders(chunk.count) + ")",
                        [.text(baseline.feed)] + chunk.map { .text($0) }
                    )
                }
            }
            try await insert(
                "baseline_entries(feed, key, digest)",
                rows: baselines.flatMap { baseline in baseline.upserts.map { [.text(baseline.feed), .text($0.key), .blob($0.value.encoded)] } },
                replacing: true
            )
            _ = try await writer.query("COMMIT")
            return events
        } catch {
            _ = try? await writer.query("ROLLBACK")
            throw error
        }
    }

    /// The highest number given: the counter, never behind an event held (a trim never lowers it).
    private func storedLastSequence() async throws -> Int64 {
        let row = try await writer.query(
            "SELECT (SELECT CAST(value AS INTEGER) FROM meta WHERE name = 'last_sequence') AS counter, (SELECT MAX(sequence) FROM events) AS held"
        ).first
        return Int64(max(row?.column("counter")?.integer ?? 0, row?.column("held")?.integer ?? 0))
    }

    /// Multi-row inserts of `rows` into `target` ("table(columns)"), a few hundred rows per statement.
    private func insert(_ target: String, rows: [[SQLiteData]], replacing: Bool = false) async throws {
        guard let width = rows.first?.count else { return }
        let row = "(" + Self.placeholders(width) + ")"
        for chunk in Self.chunks(rows, size: 500) {
            let sql = (replacing ? "INSERT OR REPLACE INTO " : "INSERT INTO ") + target + " VALUES "
                + Array(repeating: row, count: chunk.count).joined(separator: ",")
            _ = try await writer.query(sql, chunk.flatMap { $0 })
        }
    }

    private static func placeholders(_ count: Int) -> String { Array(repeating: "?", count: count).joined(separator: ",") }

    private static func chunks<Element>(_ elements: [Element], size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: elements.count, by: size).map { elements[$0 ..< min($0 + size, elements.count)] }
    }

    package func events(after sequence: Int64, through: Int64, filter: FeedFilter, limit: Int) async throws -> [ChangeEvent] {
        var conditions = ["sequence > ?", "sequence <= ?"]
        var binds: [SQLiteData] = [.integer(Int(sequence)), .integer(Int(through))]
        func restrict(_ column: String, _ values: Set<String>) {
            conditions.append("\(column) IN (" + Array(repeating: "?", count: values.count).joined(separator: ",") + ")")
            binds += values.sorted().map { .text($0) }
        }
        restrict("feed", filter.feeds)
        if let keys = filter.keys { restrict("key", keys) }
        if let facets = filter.facets { restrict("facet", facets) }
        binds.append(.integer(limit))
        let rows = try await reader.query(
            "SELECT * FROM events WHERE " + conditions.joined(separator: " AND ") + " ORDER BY sequence LIMIT ?", binds
        )
        return rows.compactMap(Self.event)
    }

    package func trim(olderThan timestamp: Int64, keeping: Int, lastSequence: Int64) async throws {
        _ = try await writer.query(
            "DELETE FROM events WHERE timestamp < ? OR sequence <= ?", [.integer(Int(timestamp)), .integer(Int(lastSequence) - keeping)]
        )
    }

    package func oldestSequence() async throws -> Int64? {
        try await reader.query("SELECT MIN(sequence) AS oldest FROM events").first?.column("oldest")?.integer.map(Int64.init)
    }

    package func statistics() async throws -> JournalStatistics {
        let row = try await reader.query("""
            SELECT (SELECT MIN(sequence) FROM events) AS oldest, (SELECT COUNT(*) FROM events) AS count,
                (SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()) AS bytes
            """).first
        return JournalStatistics(
            oldestSequence: row?.column("oldest")?.integer.map(Int64.init),
            eventCount: row?.column("count")?.integer ?? 0,
            bytes: row?.column("bytes")?.integer ?? 0
        )
    }

    /// The connections close with the journal (a feed replaced or shut down), on the blocking pool.
    deinit {
        if reader !== writer { _ = reader.close() as EventLoopFuture<Void> }
        _ = writer.close() as EventLoopFuture<Void>
    }

    /// Whether `error` says the file is not a usable journal (corrupt, not a database, not ours), rather than that it
    /// could not be reached (permissions, a lock held by another process).
    static func isUnreadable(_ error: any Error) -> Bool {
        if error is Unreadable { return true }
        guard let sqlite = error as? SQLiteError else { return false }
        switch sqlite.reason {
        case .corrupt, .notADatabase, .corruptIndex, .corruptSequenceSchema, .corruptVirtualTable, .format: return true
        default: return false
        }
    }

    /// A database that opens but is not a journal.
    struct Unreadable: Error, CustomStringConvertible {
        let description: String
    }

    private static func text(_ value: String?) -> SQLiteData { value.map { .text($0) } ?? .null }

    private static func event(_ row: SQLiteRow) -> ChangeEvent? {
        guard let sequence = row.column("sequence")?.integer, let timestamp = row.column("timestamp")?.integer,
            let feed = row.column("feed")?.string, let kind = row.column("kind")?.string.flatMap(ChangeEvent.Kind.init)
        else { return nil }
        func text(_ name: String) -> String? {
            if case .text(let value)? = row.column(name) { return value }
            return nil
        }
        var body: ByteBuffer?
        if case .blob(let blob)? = row.column("body") { body = blob }
        return ChangeEvent(
            sequence: Int64(sequence), timestamp: Int64(timestamp), feed: feed, kind: kind, key: text("key"),
            itemKey: text("item_key"), facet: text("facet"), body: body, etag: text("etag"),
            size: row.column("size")?.integer
        )
    }
}
