import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// The change journal in PostgreSQL, shared by every replica. Only the replica holding the writer lock appends, and
/// only under the term it got when it took over (`takeOver()`): the append locks the counter row until commit, checks
/// the term there and takes its numbers from it, so sequence order is commit order, there are no holes, and a writer
/// that was paused past another's takeover can never write again. Each commit wakes the other replicas (NOTIFY).
package final class PostgresChangeJournal: ChangeJournal {
    /// The NOTIFY channel a commit wakes the replicas on; the payload carries nothing (they read by sequence).
    package static let channel = "ptn_serve_journal"

    let database: PostgresDatabase
    private let term = Mutex<Int64?>(nil)

    private init(database: PostgresDatabase) {
        self.database = database
    }

    /// Creates the tables if needed (one replica at a time) and, in a new database, a new history (epoch).
    package static func open(_ database: PostgresDatabase) async throws -> PostgresChangeJournal {
        let journal = PostgresChangeJournal(database: database)
        try await journal.prepare()
        return journal
    }

    /// Creates what is missing: the tables, and the counter row of a new history. Run at open and at each takeover, so
    /// a database dropped and created again under running replicas is made usable by the next writer.
    func prepare() async throws {
        try await database.createSchema(JournalSQL.schema + [JournalSQL.createHistory])
    }

    /// The term this replica writes under; nil while it is not the writer.
    package var currentTerm: Int64? { term.withLock { $0 } }

    /// Becomes the writer (the caller holds the writer lock): bumps the term, so that appends of any earlier writer
    /// fail from now on, and returns the new one.
    @discardableResult
    package func takeOver() async throws -> Int64 {
        let rows = try await database.client.query(.portable(JournalSQL.bumpTerm), logger: database.logger).collect()
        guard let value = try rows.first?.decode(Int64.self) else { throw Unreadable(description: "the journal has no counter row") }
        term.withLock { $0 = value }
        return value
    }

    /// Stops writing (the writer lock is lost): appends fail until the next `takeOver()`.
    package func stepDown() {
        term.withLock { $0 = nil }
    }

    /// Where the shared history stands now (a follower compares it with its own; its lag is measured against it).
    package func head() async throws -> JournalHead {
        let rows = try await read(.portable(JournalSQL.head))
        guard let (epoch, last, oldest) = try rows.first?.decode((String, Int64, Int64?).self) else {
            throw Unreadable(description: "the journal has no counter row")
        }
        return JournalHead(epoch: epoch, lastSequence: last, oldestSequence: oldest)
    }

    /// Starts a new history under this writer's term: `epoch`, numbered on after `lastSequence`, holding no event
    /// (those left belong to the history the database lost part of). The baselines stay: they are what the database
    /// last recorded, and the versions served are diffed against them.
    package func startHistory(epoch: String, after lastSequence: Int64) async throws {
        let logger = database.logger
        try await underTerm { connection, _ in
            try await connection.query("DELETE FROM journal_events", logger: logger)
            try await connection.query(.portable(JournalSQL.setHistory, [.text(epoch), .integer(lastSequence)]), logger: logger)
        }
    }

    package func load() async throws -> JournalContents {
        let client = database.client
        guard let meta = try await client.query(.portable(JournalSQL.meta), logger: database.logger).collect().first else {
            throw Unreadable(description: "the journal has no counter row")
        }
        let (epoch, last) = try meta.decode((String, Int64).self)
        var baselines = [String: FeedBaseline]()
        for try await (feed, etag) in try await client.query(.portable("SELECT feed, etag FROM journal_baseline_files")).decode((String, String).self) {
            baselines[feed] = FeedBaseline(etag: etag)
        }
        let entries = try await client.query(.portable("SELECT feed, key, digest FROM journal_baseline_entries"))
        for try await (feed, key, digest) in entries.decode((String, String, ByteBuffer).self) {
            if let digest = EntryDigest(encoded: digest) { baselines[feed]?.entries[key] = digest }
        }
        return JournalContents(epoch: epoch, lastSequence: last, baselines: baselines)
    }

    package func append(_ events: [ChangeEvent], timestamp: Int64, baselines: [BaselineUpdate]) async throws -> [ChangeEvent] {
        let logger = database.logger
        return try await underTerm { connection, last in
            let numbered = events.enumerated().map { $0.element.numbered(last + 1 + Int64($0.offset), at: timestamp) }
            for chunk in JournalSQL.chunks(numbered.map(JournalSQL.values), size: 500) {
                try await connection.query(.portable(JournalSQL.insertEvents(chunk.count), chunk.flatMap { $0 }), logger: logger)
            }
            try await connection.query(.portable(JournalSQL.setLast, [.integer(last + Int64(numbered.count))]), logger: logger)
            try await JournalSQL.writeBaselines(baselines) { sql, values in
                try await connection.query(.portable(sql, values), logger: logger)
            }
            return numbered
        }
    }

    /// Runs `body` in a transaction that holds the counter row (with the last sequence given) until commit, if this
    /// replica still writes under the journal's term, and wakes the other replicas when it commits. The next write
    /// of any replica waits for this one; a writer fenced off meanwhile gets `JournalFenced`.
    private func underTerm<Value: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection, _ last: Int64) async throws -> Value
    ) async throws -> Value {
        guard let term = currentTerm else { throw JournalFenced(term: nil, current: nil) }
        let logger = database.logger
        do {
            return try await database.client.withTransaction(logger: logger) { connection in
                let counter = try await connection.query(.portable(JournalSQL.lockCounter), logger: logger).collect()
                guard let (last, current) = try counter.first?.decode((Int64, Int64).self) else {
                    throw Unreadable(description: "the journal has no counter row")
                }
                guard current == term else { throw JournalFenced(term: term, current: current) }
                let value = try await body(connection, last)
                try await connection.query("NOTIFY \(unescaped: Self.channel)", logger: logger)
                return value
            }
        } catch let error as PostgresTransactionError {
            // The refusal is this journal's own answer, not a database failure: it comes out as itself.
            if let fenced = error.closureError as? JournalFenced { throw fenced }
            throw error
        }
    }

    package func events(after sequence: Int64, through: Int64, filter: FeedFilter, limit: Int) async throws -> [ChangeEvent] {
        let (sql, values) = JournalSQL.select(after: sequence, through: through, filter: filter, limit: limit)
        var events = [ChangeEvent]()
        let rows = try await read(.portable(sql, values), deadline: .seconds(5))
        for row in rows {
            let (sequence, timestamp, feed, kind, key, itemKey, facet, etag, size, body) = try row.decode(
                (Int64, Int64, String, String, String?, String?, String?, String?, Int64?, ByteBuffer?).self
            )
            guard let kind = ChangeEvent.Kind(rawValue: kind) else { continue }
            events.append(ChangeEvent(
                sequence: sequence, timestamp: timestamp, feed: feed, kind: kind, key: key, itemKey: itemKey, facet: facet,
                body: body, etag: etag, size: size.map { Int($0) }
            ))
        }
        return events
    }

    package func trim(olderThan timestamp: Int64, keeping: Int, lastSequence: Int64) async throws {
        try await database.client.query(
            .portable(JournalSQL.trim, [.integer(timestamp), .integer(lastSequence - Int64(keeping))]), logger: database.logger
        )
    }

    package func oldestSequence() async throws -> Int64? {
        let rows = try await read("SELECT MIN(sequence) FROM journal_events")
        return try rows.first?.decode(Int64?.self)
    }

    package func statistics() async throws -> JournalStatistics {
        let rows = try await read(.portable(JournalSQL.statistics))
        guard let (oldest, count, bytes) = try rows.first?.decode((Int64?, Int64, Int64).self) else {
            return JournalStatistics(oldestSequence: nil, eventCount: 0, bytes: 0)
        }
        return JournalStatistics(oldestSequence: oldest, eventCount: Int(count), bytes: Int(bytes))
    }

    /// A read that gives up after `deadline` (1 s for the counts `/ready` shows, 5 s for a page of events): `/ready`,
    /// `/changes` and replays must answer while the database is out of reach (the pool waits for a connection as long
    /// as it is asked to). Appends have no deadline: an append given up on could still commit, and its events would
    /// then be diffed again.
    private func read(_ query: PostgresQuery, deadline: Duration = .seconds(1)) async throws -> [PostgresRow] {
        let (client, logger) = (database.client, database.logger)
        return try await withDeadline(deadline) { try await client.query(query, logger: logger).collect() }
    }

    /// A database that answers but holds no journal of ours.
    struct Unreadable: Error, CustomStringConvertible {
        let description: String
    }
}

/// The shared history's name, the last sequence it gave and the oldest it still holds (nil: none).
package struct JournalHead: Sendable, Equatable {
    package let epoch: String
    package let lastSequence: Int64
    package let oldestSequence: Int64?

    /// The sequence the events it holds follow: a replica that takes this history on resumes after it.
    package var start: Int64 { oldestSequence.map { $0 - 1 } ?? lastSequence }
}
