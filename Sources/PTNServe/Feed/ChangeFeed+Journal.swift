import Foundation

// Numbering and the journal: each round's events are appended (numbered inside the write) before anyone sees them,
// a shared journal is caught up with, taken over and let go; replays and pages read it back.
extension ChangeFeed {
    /// The baseline of the followed file called `name`: what the next version is compared with.
    func baseline(_ name: String) -> FeedBaseline? { state.withLock { $0.baselines[name] } }

    /// Has the journal number the events of `diffs` (one reload round) and record them with the new baselines in one
    /// transaction, then hands them to the followers. A journal of its own that fails to write does not stop the
    /// stream: a new history starts in memory (its numbers go on, its epoch changes), so no number is ever given twice
    /// within one epoch, even once the journal file is read again at a restart. A shared journal that fails to write
    /// keeps its history: nothing is published, the baselines stay, and the versions are diffed again once it answers.
    func publish(_ diffs: [VersionDiff]) async {
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

    /// One diff's events, published alone.
    func publish(_ diff: VersionDiff) async { await publish([diff]) }

    /// Takes the events after the last one handed out from the journal (a follower replica: what the writer appended)
    /// and hands them to the followers, in order. Returns false when the journal could not be read.
    @discardableResult
    func catchUp() async -> Bool {
        let journal = state.withLock { $0.journal }
        let everything = FeedFilter(feeds: Set(files.keys))
        while true {
            let last = state.withLock { $0.lastSequence }
            guard let events = try? await journal.events(after: last, through: .max, filter: everything, limit: 1000) else { return false }
            deliver(events)
            if events.count < 1000 { return true }
        }
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

    /// Makes this replica the writer of a shared journal (it holds the writer lock and a new term): the baselines
    /// become the journal's, and the versions served are diffed against them at the reloader's next pass.
    func takeOver(_ contents: JournalContents) {
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
    func adoptHistory(epoch: String, after sequence: Int64) -> Bool {
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
    func stopWriting(reason: String) {
        state.withLock { state in
            state.writing = false
            state.baselines = [:]
            state.writeFailure = reason
        }
    }

    /// The versions whose events were never written (a takeover, a failed append), for the reloader to load again:
    /// those served at another version than the baseline, when a resync is wanted. Asking clears the request.
    func versionsToReload(served: (String) -> String?) -> [String] {
        state.withLock { state in
            guard state.writing, state.resyncWanted, ContinuousClock.now >= state.resyncAfter else { return [] }
            state.resyncWanted = false
            return files.keys.filter { name in served(name).map { $0 != state.baselines[name]?.etag } ?? false }
        }
    }

    /// A page of history for `/changes`: up to `limit` events after `since`; none when `since` is of another history
    /// (`epoch`, when the client gives it).
    func page(since: Int64, epoch clientEpoch: String? = nil, filter: FeedFilter, limit: Int) async -> (start: FollowStart, events: [ChangeEvent], hasMore: Bool) {
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

    /// Whether every event after `since` is held when the journal holds `first ... last`.
    static func holds(_ since: Int64, first: Int64, last: Int64) -> Bool {
        since >= first - 1 && since <= last
    }

    func firstSequence(last: Int64) async -> Int64 {
        let journal = state.withLock { $0.journal }
        let oldest = try? await journal.oldestSequence()
        return (oldest ?? nil) ?? last + 1
    }
}
