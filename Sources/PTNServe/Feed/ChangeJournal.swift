/// Where the change feed keeps its history and baselines: durable across restarts, kept by age and count. SQLite in the
/// state folder (`SQLiteChangeJournal`) for one server; PostgreSQL (`PostgresChangeJournal`) for replicas that serve
/// one stream. Both pass the same tests.
package protocol ChangeJournal: Sendable {
    /// The history so far: its epoch, its highest sequence ever given, the baselines of the followed files.
    func load() async throws -> JournalContents
    /// Numbers `events` on from the highest sequence ever given, stamps them `timestamp` (ms) and records them with the
    /// followed files' new baselines, all or nothing; returns them numbered. The numbers are taken inside the write, so
    /// sequence order is commit order and no number is given twice.
    func append(_ events: [ChangeEvent], timestamp: Int64, baselines: [BaselineUpdate]) async throws -> [ChangeEvent]
    /// Up to `limit` events after `sequence` and at most `through`, in order, that `filter` lets through.
    func events(after sequence: Int64, through: Int64, filter: FeedFilter, limit: Int) async throws -> [ChangeEvent]
    /// Drops events older than `timestamp` (ms) and all but the last `keeping` ones.
    func trim(olderThan timestamp: Int64, keeping: Int, lastSequence: Int64) async throws
    /// The oldest sequence held, nil when none is.
    func oldestSequence() async throws -> Int64?
    /// The oldest event held, how many are held and how many bytes the journal takes.
    func statistics() async throws -> JournalStatistics
}

/// What a journal holds when it is opened.
package struct JournalContents: Sendable {
    package let epoch: String
    package let lastSequence: Int64
    package let baselines: [String: FeedBaseline]
}

/// A followed file's baseline change, as a diff makes it: only the entries that changed are written.
package struct BaselineUpdate: Sendable {
    package let feed: String
    package let etag: String
    package let upserts: [String: EntryDigest]
    package let removals: [String]
}

/// The journal's size, for `/ready` and the metrics.
package struct JournalStatistics: Sendable, Equatable {
    /// The oldest sequence held; nil when no event is.
    package let oldestSequence: Int64?
    package let eventCount: Int
    package let bytes: Int
}

/// An append refused: this replica is not the writer, or another took over since (a newer term).
package struct JournalFenced: Error, CustomStringConvertible {
    /// The term the append was made under; nil when this replica is not the writer.
    package let term: Int64?
    /// The journal's term.
    package let current: Int64?

    package var description: String {
        guard let term else { return "not the writer" }
        return "writer term \(term) is over (the journal is at term \(current.map(String.init) ?? "?"))"
    }
}
