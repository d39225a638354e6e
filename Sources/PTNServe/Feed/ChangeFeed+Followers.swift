// The followers registry: who follows with which filter, and the hand-out of each event to them.
extension ChangeFeed {
    /// One follower: what it is sent, over which transport, and its live stream.
    struct Follower {
        let filter: FeedFilter
        let transport: String
        let continuation: AsyncStream<FeedMessage>.Continuation
    }

    /// The current followers by transport (`sse`, `ws`), for the console.
    func followerCounts() -> [String: Int] {
        state.withLock { state in state.followers.values.reduce(into: [:]) { $0[$1.transport, default: 0] += 1 } }
    }

    /// Follows the feed: replays what the journal holds after `since` (when it holds all of it, and `since` is of this
    /// history: `epoch`, when the client gives it), then live events, in order, without gap or repeat.
    func follow(since: Int64?, epoch clientEpoch: String? = nil, filter: FeedFilter, transport: String) async -> FeedFollower {
        let (stream, continuation) = AsyncStream<FeedMessage>.makeStream(bufferingPolicy: .bufferingOldest(retention.lagLimit))
        let (id, epoch, last) = state.withLock { state -> (UInt64, String, Int64) in
            let id = state.nextFollower
            state.followers[id] = Follower(filter: filter, transport: transport, continuation: continuation)
            state.nextFollower += 1
            return (id, state.epoch, state.lastSequence)
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { state in _ = state.followers.removeValue(forKey: id) }
            self?.metrics.followers(transport, delta: -1)
        }
        metrics.followers(transport, delta: 1)
        let first = await firstSequence(last: last)
        let available = since.map { Self.holds($0, first: first, last: last) && (clientEpoch ?? epoch) == epoch } ?? true
        let start = FollowStart(epoch: epoch, requested: since, firstSequence: first, lastSequence: last, replayAvailable: available)
        let replayFrom = available ? (since ?? last) : last
        return FeedFollower(
            start: start, feed: self, filter: filter, replayFrom: replayFrom, live: stream,
            tick: { continuation.yield(.keepAlive) }, finish: { continuation.finish() }
        )
    }

    /// Hands `events` (numbered, in order) to the followers, skipping those already handed out: a writer's own events
    /// may also come back through `catchUp`.
    func deliver(_ events: [ChangeEvent]) {
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
}
