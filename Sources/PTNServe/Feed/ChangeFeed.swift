import Foundation
import Logging
import Synchronization

/// The server-wide change stream: numbers each version's differences in one sequence, records them in the journal
/// before anyone sees them, and hands them to followers (SSE, WebSocket) with replay from the journal.
public final class ChangeFeed: Sendable {
    /// The files followed, by name.
    public let files: [String: FollowedFile]
    public let retention: FeedRetention
    private let logger: Logger
    private let metrics: FeedMetrics
    private let state: Mutex<State>

    private struct State {
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

    private struct Follower {
        let filter: FeedFilter
        let transport: String
        let continuation: AsyncStream<FeedMessage>.Continuation
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
    public static func open(
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
    public static func shared(
        files: [FollowedFile], journal: any ChangeJournal, retention: FeedRetention, logger: Logger, metrics: FeedMetrics = FeedMetrics()
    ) async throws -> ChangeFeed {
        let contents = try await journal.load()
        let feed = ChangeFeed(files: files, retention: retention, journal: journal, contents: contents, journalState: "shared", logger: logger, metrics: metrics)
        feed.state.withLock { $0.writing = false }
        return feed
    }

    /// The name of this history: it changes only when the history is lost.
    public var epoch: String { state.withLock { $0.epoch } }

    /// The last sequence published.
    public var lastSequence: Int64 { state.withLock { $0.lastSequence } }

    /// `durable` or `memory`.
    public var journalState: String { state.withLock { $0.journalState } }

    /// The current followers by transport (`sse`, `ws`), for the console.
    public func followerCounts() -> [String: Int] {
        state.withLock { state in state.followers.values.reduce(into: [:]) { $0[$1.transport, default: 0] += 1 } }
    }

    /// The baseline of the followed file called `name`: what the next version is compared with.
    public func baseline(_ name: String) -> FeedBaseline? { state.withLock { $0.baselines[name] } }

    /// The differences between `snapshot` and the last version of its file the feed has seen, or nil when the file is not
    /// followed. Blocking (hashes the version): run it on the blocking pool, beside the load.
    public func diff(_ snapshot: FileSnapshot) -> VersionDiff? {
        guard let file = files[snapshot.file.name] else { return nil }
        // A follower replica does not diff: the writer's events reach it through the journal.
        guard let baseline = state.withLock({ $0.writing ? .some($0.baselines[file.name]) : nil }) else { return nil }
        let started = ThreadCPUTime.now()
        let diff = VersionDiff.compute(file, snapshot: snapshot, baseline: baseline)
        metrics.diffed(file.name, cpuSeconds: ThreadCPUTime.now() - started)
        return diff
    }

    /// Has the journal number the events of `diffs` (one reload round) and record them with the new baselines in one
    /// transaction, then hands them to the followers. A journal of its own that fails to write does not stop the
    /// stream: a new history starts in memory (its numbers go on, its epoch changes), so no number is ever given twice
    /// within one epoch, even once the journal file is read again at a restart. A shared journal that fails to write
    /// keeps its history: nothing is published, the baselines stay, and the versions are diffed again once it answers.
    public func publish(_ diffs: [VersionDiff]) async {
        let diffs = diffs.filter { !$0.isEmpty }
        guard !diffs.isEmpty else { return }
        let (journal, writing, shared) = state.withLock { ($0.journal, $0.writing, $0.journalState == "shared") }
        guard writing else { return }
        let timestamp = Int64(Date().timeIntervalSince1970 * 1000)
        let events = diffs.flatMap(\.events)
        let updates = diffs.map { BaselineUpdate(feed: $0.feed, etag: $0.etag, upserts: $0.upserts, removals: $0.removals.sorted()) }
        var numbered: [ChangeEvent]
        do {
            numbered = try await journal.append(events, timestamp: timestamp, baselines: updates)
            if let last = numbered.last?.sequence {
                let cutoff = timestamp - Int64(retention.maxAge.components.seconds) * 1000
                try? await journal.trim(olderThan: cutoff, keeping: retention.maxEvents, lastSequence: last)
            }
        } catch where shared {
            writeFailed(error)
            return
        } catch {
            await startOverInMemory(reason: "\(error)")
            numbered = (try? await state.withLock { $0.journal }.append(events, timestamp: timestamp, baselines: updates)) ?? []
        }
        let contiguous = state.withLock { state in
            state.writeFailure = nil
            for diff in diffs { state.baselines[diff.feed] = diff.applied(to: state.baselines[diff.feed]) }
            return numbered.first.map { $0.sequence == state.lastSequence + 1 } ?? true
        }
        // Events another writer appended before these (just after a takeover) are read first, so followers get all in
        // order.
        if contiguous { deliver(numbered) } else { await catchUp() }
        if let statistics = try? await journal.statistics() { metrics.journal(statistics) }
    }

    /// Takes the events after the last one handed out from the journal (a follower replica: what the writer appended)
    /// and hands them to the followers, in order. Returns false when the journal could not be read.
    @discardableResult
    public func catchUp() async -> Bool {
        let journal = state.withLock { $0.journal }
        let everything = FeedFilter(feeds: Set(files.keys))
        while true {
            let last = state.withLock { $0.lastSequence }
            guard let events = try? await journal.events(after: last, through: .max, filter: everything, limit: 1000) else { return false }
            deliver(events)
            if events.count < 1000 { return true }
        }
    }

    /// Hands `events` (numbered, in order) to the followers, skipping those already handed out: a writer's own events
    /// may also come back through `catchUp`.
    private func deliver(_ events: [ChangeEvent]) {
        var delivered = [ChangeEvent]()
        let slow = state.withLock { state in
            var slow = [AsyncStream<FeedMessage>.Continuation]()
            for event in events where event.sequence > state.lastSequence {
                state.lastSequence = event.sequence
                delivered.append(event)
            }
            for (id, follower) in state.followers {
                for event in delivered where follower.filter.matches(event) {
                    if case .dropped = follower.continuation.yield(.event(event)) {
                        state.followers[id] = nil
                        slow.append(follower.continuation)
                        break
                    }
                }
            }
            return slow
        }
        // Too far behind: each drains what it has, then gets its cut-off. Finished outside the lock, which their
        // termination handlers take.
        for continuation in slow { continuation.finish() }
        metrics.published(delivered)
        if !slow.isEmpty { metrics.slowConsumersCut(slow.count) }
    }

    /// A shared journal refused or failed an append: a newer writer fenced this one off (it stops writing), or the
    /// database cannot be reached (it says so and tries again).
    private func writeFailed(_ error: any Error) {
        let fenced = error is JournalFenced
        state.withLock { state in
            state.writeFailure = fenced ? "\(error)" : "the database cannot be written: \(type(of: error))"
            state.resyncWanted = true
            state.resyncAfter = .now + .seconds(2)
            if fenced { state.writing = false }
        }
        if fenced {
            logger.warning("another replica writes the journal now; this one stops writing", metadata: ["reason": "\(error)"])
        } else {
            logger.error("change journal write failed; the changes are written once the database answers", metadata: ["reason": "\(type(of: error))"])
        }
    }

    /// Makes this replica the writer of a shared journal (it holds the writer lock and a new term): the baselines
    /// become the journal's, and the versions served are diffed against them at the reloader's next pass.
    public func takeOver(_ contents: JournalContents) {
        adoptHistory(epoch: contents.epoch, after: contents.lastSequence)
        state.withLock { state in
            state.baselines = contents.baselines
            state.writing = true
            state.writeFailure = nil
            state.resyncWanted = true
            state.resyncAfter = .now
        }
    }

    /// Takes on the shared journal's history when it is another than this feed's (the database was replaced or lost
    /// events): its epoch, resuming after `sequence`. The live streams end, as at a cut-off: their clients reconnect and
    /// are told by the opening message whether what they hold is still of this history.
    @discardableResult
    public func adoptHistory(epoch: String, after sequence: Int64) -> Bool {
        let ended = state.withLock { state -> [AsyncStream<FeedMessage>.Continuation]? in
            guard state.epoch != epoch else { return nil }
            state.epoch = epoch
            state.lastSequence = sequence
            defer { state.followers = [:] }
            return state.followers.values.map(\.continuation)
        }
        guard let ended else { return false }
        // Finished outside the lock, which their termination handlers take.
        for continuation in ended { continuation.finish() }
        logger.warning("the shared change journal holds another history now; live streams restart", metadata: ["epoch": "\(epoch)"])
        return true
    }

    /// Stops writing a shared journal (the writer lock is lost); the baselines are reloaded at the next takeover.
    public func stopWriting(reason: String) {
        state.withLock { state in
            state.writing = false
            state.baselines = [:]
            state.writeFailure = reason
        }
    }

    /// Whether this server writes the journal.
    public var isWriting: Bool { state.withLock { $0.writing } }

    /// Why writing is failing, nil while it is not.
    public var writeFailure: String? { state.withLock { $0.writing ? $0.writeFailure : nil } }

    /// Whether the reloader should load again the versions whose events were never written (a takeover, a failed
    /// append), and which ones: those whose served version is not the baseline. Asking clears the request.
    func takeResync(served: (String) -> String?) -> [String] {
        state.withLock { state in
            guard state.writing, state.resyncWanted, ContinuousClock.now >= state.resyncAfter else { return [] }
            state.resyncWanted = false
            return files.keys.filter { name in served(name).map { $0 != state.baselines[name]?.etag } ?? false }
        }
    }

    /// One diff's events, published alone.
    public func publish(_ diff: VersionDiff) async { await publish([diff]) }

    /// Replaces a journal that failed to write by one in memory, under a new epoch; its numbers go on.
    private func startOverInMemory(reason: String) async {
        let last = state.withLock { $0.lastSequence }
        guard let memory = try? await SQLiteChangeJournal.open(path: nil, logger: logger, lastSequence: last),
            let contents = try? await memory.load()
        else { return }
        state.withLock { state in
            state.journal = memory
            state.epoch = contents.epoch
            state.journalState = "memory"
        }
        logger.error("change journal write failed; a new history starts in memory", metadata: ["reason": "\(reason)", "epoch": "\(contents.epoch)"])
    }

    /// Follows the feed: replays what the journal holds after `since` (when it holds all of it, and `since` is of this
    /// history: `epoch`, when the client gives it), then live events, in order, without gap or repeat. `keepAlive` adds
    /// ticks when nothing else is sent.
    public func follow(
        since: Int64?, epoch clientEpoch: String? = nil, filter: FeedFilter, transport: String, keepAlive: Duration? = nil
    ) async -> FeedFollower {
        let (stream, continuation) = AsyncStream<FeedMessage>.makeStream(bufferingPolicy: .bufferingOldest(retention.lagLimit))
        let (id, epoch, last) = state.withLock { state -> (UInt64, String, Int64) in
            let id = state.nextFollower
            state.followers[id] = Follower(filter: filter, transport: transport, continuation: continuation)
            state.nextFollower += 1
            return (id, state.epoch, state.lastSequence)
        }
        let ticker = keepAlive.map { interval in
            Task {
                while (try? await Task.sleep(for: interval)) != nil { continuation.yield(.keepAlive) }
            }
        }
        continuation.onTermination = { [weak self] _ in
            ticker?.cancel()
            self?.state.withLock { state in _ = state.followers.removeValue(forKey: id) }
            self?.metrics.followers(transport, delta: -1)
        }
        metrics.followers(transport, delta: 1)
        let first = await firstSequence(last: last)
        let available = since.map { Self.holds($0, first: first, last: last) && (clientEpoch ?? epoch) == epoch } ?? true
        let start = FollowStart(epoch: epoch, requested: since, firstSequence: first, lastSequence: last, replayAvailable: available)
        let replayFrom = available ? (since ?? last) : last
        return FeedFollower(start: start, feed: self, filter: filter, replayFrom: replayFrom, live: stream) { continuation.finish() }
    }

    /// A page of history for `/changes`: up to `limit` events after `since`; none when `since` is of another history
    /// (`epoch`, when the client gives it).
    public func page(since: Int64, epoch clientEpoch: String? = nil, filter: FeedFilter, limit: Int) async -> (start: FollowStart, events: [ChangeEvent], hasMore: Bool) {
        let (epoch, last) = state.withLock { ($0.epoch, $0.lastSequence) }
        let first = await firstSequence(last: last)
        let journal = state.withLock { $0.journal }
        let sameHistory = (clientEpoch ?? epoch) == epoch
        let events = sameHistory ? (try? await journal.events(after: since, through: last, filter: filter, limit: limit + 1)) ?? [] : []
        let start = FollowStart(
            epoch: epoch, requested: since, firstSequence: first, lastSequence: last,
            replayAvailable: sameHistory && Self.holds(since, first: first, last: last)
        )
        metrics.replayed(min(events.count, limit))
        return (start, Array(events.prefix(limit)), events.count > limit)
    }

    /// Journal events for a follower's replay.
    func replay(after sequence: Int64, through: Int64, filter: FeedFilter) async -> [ChangeEvent] {
        let journal = state.withLock { $0.journal }
        let events = (try? await journal.events(after: sequence, through: through, filter: filter, limit: 1000)) ?? []
        metrics.replayed(events.count)
        return events
    }

    /// What `/ready` and the metrics show of the feed.
    public func status() async -> FeedStatus {
        let (journal, epoch, last, journalState) = state.withLock { ($0.journal, $0.epoch, $0.lastSequence, $0.journalState) }
        let statistics = try? await journal.statistics()
        if let statistics { metrics.journal(statistics) }
        return FeedStatus(
            epoch: epoch, sequence: last, journal: journalState, firstSequence: statistics?.oldestSequence ?? last + 1,
            journalEvents: statistics?.eventCount ?? 0, journalBytes: statistics?.bytes ?? 0
        )
    }

    /// Whether every event after `since` is held when the journal holds `first ... last`.
    private static func holds(_ since: Int64, first: Int64, last: Int64) -> Bool {
        since >= first - 1 && since <= last
    }

    private func firstSequence(last: Int64) async -> Int64 {
        let journal = state.withLock { $0.journal }
        let oldest = try? await journal.oldestSequence()
        return (oldest ?? nil) ?? last + 1
    }
}
