import Foundation
import Logging
import Synchronization

/// The server-wide change stream: numbers each version's differences in one sequence, records them in the journal
/// before anyone sees them, and hands them to followers (SSE, WebSocket) with replay from the journal.
final class ChangeFeed: Sendable {
    /// The files followed, by name.
    let files: [String: FollowedFile]
    let retention: FeedRetention
    // Internal, not private: the extensions in ChangeFeed+*.swift share them.
    let logger: Logger
    let metrics: FeedMetrics
    let state: Mutex<State>

    struct State {
        var journal: any ChangeJournal
        var epoch: String
        var lastSequence: Int64
        /// Where the journal stands: `durable`, `memory` when no journal file could be used, `shared` in PostgreSQL.
        var journalState: String
        var baselines: [String: FeedBaseline]
        var followers: [UInt64: Follower] = [:]
        var nextFollower: UInt64 = 0
        /// Whether this server diffs versions and appends: always with a journal of its own; with a shared journal,
        /// only the replica holding the writer lock.
        var writing = true
        /// Why the last append failed, while it has not succeeded since (a shared journal that cannot be reached).
        var writeFailure: String?
        /// Whether versions served were never diffed against the journal's baselines (a takeover, a failed append):
        /// the reloader loads them again, and `resyncAfter` spaces its tries while the journal stays unreachable.
        var resyncWanted = false
        var resyncAfter = ContinuousClock.now
    }

    init(files: [FollowedFile], retention: FeedRetention, journal: any ChangeJournal, contents: JournalContents,
         journalState: String, logger: Logger, metrics: FeedMetrics) {
        self.files = Dictionary(uniqueKeysWithValues: files.map { ($0.name, $0) })
        self.retention = retention
        self.logger = logger
        self.metrics = metrics
        self.state = Mutex(State(
            journal: journal, epoch: contents.epoch, lastSequence: contents.lastSequence, journalState: journalState, baselines: contents.baselines
        ))
    }

    /// Opens the journal in `directory` (creating both as needed) and continues its history. A journal that cannot be
    /// read is set aside and a new history (epoch) starts; if no file can be written, the history lives in memory.
    /// Either way serving goes on, and the log says why.
    static func open(
        files: [FollowedFile], directory: URL?, retention: FeedRetention, logger: Logger, metrics: FeedMetrics = FeedMetrics()
    ) async throws -> ChangeFeed {
        func start(_ journal: any ChangeJournal, state: String) async throws -> ChangeFeed {
            let contents = try await journal.load()
            return ChangeFeed(files: files, retention: retention, journal: journal, contents: contents, journalState: state, logger: logger, metrics: metrics)
        }
        if let directory {
            let path = directory.appendingPathComponent("changes.sqlite").path
            let existed = FileManager.default.fileExists(atPath: path)
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                let feed = try await start(try await SQLiteChangeJournal.open(path: path, logger: logger), state: "durable")
                if !existed { logger.notice("change journal created: a new history starts", metadata: ["epoch": "\(feed.epoch)"]) }
                return feed
            } catch let cancelled as CancellationError {
                throw cancelled
            } catch where SQLiteChangeJournal.isUnreadable(error) {
                logger.warning("change journal unreadable; it is set aside and a new history starts", metadata: ["reason": "\(error)"])
                try? FileManager.default.moveItem(atPath: path, toPath: path + ".unreadable-\(Int(Date().timeIntervalSince1970))")
                for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
                if let feed = try? await start(try await SQLiteChangeJournal.open(path: path, logger: logger), state: "durable") {
                    logger.notice("change journal created: a new history starts", metadata: ["epoch": "\(feed.epoch)"])
                    return feed
                }
            } catch {
                // No folder, no permission, locked by another process: the file is left as it is. The reason is not
                // logged as is, as file system errors name paths.
                logger.warning("change journal cannot be opened or created in the state folder (check --state-dir and its permissions)")
            }
        }
        // An in-memory database fails to open only when the start-up itself is cancelled.
        let feed = try await start(try await SQLiteChangeJournal.open(path: nil, logger: logger), state: "memory")
        logger.warning("change history kept in memory only: it is lost at restart", metadata: ["epoch": "\(feed.epoch)"])
        return feed
    }

    /// A feed over a journal shared by replicas (PostgreSQL): it starts as a follower, taking the events other
    /// replicas append (`catchUp`), until `takeOver` makes it the writer.
    static func shared(
        files: [FollowedFile], journal: any ChangeJournal, retention: FeedRetention, logger: Logger, metrics: FeedMetrics = FeedMetrics()
    ) async throws -> ChangeFeed {
        let contents = try await journal.load()
        let feed = ChangeFeed(files: files, retention: retention, journal: journal, contents: contents, journalState: "shared", logger: logger, metrics: metrics)
        feed.state.withLock { $0.writing = false }
        return feed
    }

    /// The name of this history: it changes only when the history is lost.
    var epoch: String { state.withLock { $0.epoch } }

    /// The last sequence published.
    var lastSequence: Int64 { state.withLock { $0.lastSequence } }

    /// `durable` or `memory`.
    var journalState: String { state.withLock { $0.journalState } }

    /// Whether this server writes the journal.
    var isWriting: Bool { state.withLock { $0.writing } }

    /// Why writing is failing, nil while it is not.
    var writeFailure: String? { state.withLock { $0.writing ? $0.writeFailure : nil } }

    /// What `/ready` and the metrics show of the feed.
    func status() async -> FeedStatus {
        let (journal, epoch, last, journalState) = state.withLock { ($0.journal, $0.epoch, $0.lastSequence, $0.journalState) }
        let statistics = try? await journal.statistics()
        if let statistics { metrics.journal(statistics) }
        return FeedStatus(
            epoch: epoch, sequence: last, journal: journalState, firstSequence: statistics?.oldestSequence ?? last + 1,
            journalEvents: statistics?.eventCount ?? 0, journalBytes: statistics?.bytes ?? 0
        )
    }
}
