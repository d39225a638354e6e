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
        /// Where the journal stands: `durable`, or `memory` when no journal file could be used.
        var journalState: String
        var baselines: [String: FeedBaseline]
        var followers: [UInt64: Follower] = [:]
        var nextFollower: UInt64 = 0
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
        let baseline = state.withLock { $0.baselines[file.name] }
        let started = ThreadCPUTime.now()
        let diff = VersionDiff.compute(file, snapshot: snapshot, baseline: baseline)
        metrics.diffed(file.name, cpuSeconds: ThreadCPUTime.now() - started)
        return diff
    }

    /// Numbers the events of `diffs` (one reload round), records them with the new baselines in one transaction, then
    /// hands them to the followers. A journal that fails to write does not stop the stream: a new history starts in
    /// memory (its numbers go on, its epoch changes), so no number is ever given twice within one epoch, even once the
    /// journal file is read again at a restart.
    public func publish(_ diffs: [VersionDiff]) async {
        let diffs = diffs.filter { !$0.isEmpty }
        guard !diffs.isEmpty else { return }
        let timestamp = Int64(Date().timeIntervalSince1970 * 1000)
        let first = state.withLock { $0.lastSequence } + 1
        let events = diffs.flatMap(\.events).enumerated().map { $0.element.numbered(first + Int64($0.offset), at: timestamp) }
        let last = first + Int64(events.count) - 1
        let updates = diffs.map { BaselineUpdate(feed: $0.feed, etag: $0.etag, upserts: $0.upserts, removals: $0.removals.sorted()) }
        let journal = state.withLock { $0.journal }
        do {
            try await journal.append(events, lastSequence: last, baselines: updates)
            let cutoff = timestamp - Int64(retention.maxAge.components.seconds) * 1000
            try await journal.trim(olderThan: cutoff, keeping: retention.maxEvents, lastSequence: last)
        } catch {
            await startOverInMemory(reason: "\(error)")
            try? await state.withLock { $0.journal }.append(events, lastSequence: last, baselines: updates)
        }
        let slow = state.withLock { state in
            state.lastSequence = last
            for diff in diffs { state.baselines[diff.feed] = diff.applied(to: state.baselines[diff.feed]) }
            var slow = [AsyncStream<FeedMessage>.Continuation]()
            for (id, follower) in state.followers {
                for event in events where follower.filter.matches(event) {
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
        metrics.published(events)
        if !slow.isEmpty { metrics.slowConsumersCut(slow.count) }
        if let statistics = try? await state.withLock({ $0.journal }).statistics() { metrics.journal(statistics) }
    }

    /// One diff's events, published alone.
    public func publish(_ diff: VersionDiff) async { await publish([diff]) }

    /// Replaces a journal that failed to write by one in memory, under a new epoch.
    private func startOverInMemory(reason: String) async {
        guard let memory = try? await SQLiteChangeJournal.open(path: nil, logger: logger), let contents = try? await memory.load() else { return }
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
