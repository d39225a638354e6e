import Synchronization

/// One follower's view of the feed: the journal's events after where it resumes, then the live ones, then (if it
/// fell too far behind, or the server shuts down) one cut-off or closing. Ends when the feed drops it; dropping it
/// unsubscribes.
struct FeedFollower: Sendable {
    /// Where the follow started, for the transport's opening message.
    let start: FollowStart
    private let feed: ChangeFeed
    private let filter: FeedFilter
    private let live: AsyncStream<FeedMessage>
    private let ending: Ending

    /// Whether `stop` was called, and how to add a tick to the live stream and to end it.
    private final class Ending: Sendable {
        let stopped = Atomic(false)
        let tick: @Sendable () -> Void
        let finish: @Sendable () -> Void
        init(tick: @escaping @Sendable () -> Void, finish: @escaping @Sendable () -> Void) {
            self.tick = tick
            self.finish = finish
        }
    }

    init(
        start: FollowStart, feed: ChangeFeed, filter: FeedFilter, replayFrom: Int64, live: AsyncStream<FeedMessage>,
        tick: @escaping @Sendable () -> Void, finish: @escaping @Sendable () -> Void
    ) {
        self.start = start
        self.feed = feed
        self.filter = filter
        self.live = live
        self.replayFrom = replayFrom
        self.ending = Ending(tick: tick, finish: finish)
    }

    private let replayFrom: Int64

    /// Ends the follow at once (the server is shutting down): the messages end with `.closing`, after what was already
    /// handed to this follower.
    func stop() {
        ending.stopped.store(true, ordering: .sequentiallyConsistent)
        ending.finish()
    }

    /// Adds a `.keepAlive` to the live messages, after those already handed to this follower: the transport's timer
    /// calls it, so an idle stream still shows it is alive.
    func keepAlive() {
        ending.tick()
    }

    /// The messages in order; iterate once.
    func messages() -> Messages {
        Messages(follower: self, delivered: replayFrom, liveIterator: live.makeAsyncIterator())
    }

    /// The iteration state: replay pages, then live.
    struct Messages: AsyncSequence, AsyncIteratorProtocol {
        let follower: FeedFollower
        /// The last sequence handed out (or where the replay starts).
        var delivered: Int64
        var liveIterator: AsyncStream<FeedMessage>.AsyncIterator
        var page: [ChangeEvent] = []
        var replaying = true
        var finished = false

        func makeAsyncIterator() -> Messages { self }

        mutating func next() async -> FeedMessage? {
            while replaying {
                if !page.isEmpty {
                    let event = page.removeFirst()
                    delivered = event.sequence
                    return .event(event)
                }
                guard delivered < follower.start.lastSequence else { replaying = false; break }
                page = await follower.feed.replay(after: delivered, through: follower.start.lastSequence, filter: follower.filter)
                // Filtered out or trimmed meanwhile: the rest of the replay holds nothing for this follower.
                if page.isEmpty { replaying = false }
            }
            guard !finished else { return nil }
            while let message = await liveIterator.next() {
                if case .event(let event) = message {
                    guard event.sequence > delivered else { continue }
                    delivered = event.sequence
                }
                return message
            }
            // The live stream ended: stopped for the shutdown, or cut off by the feed (the transport's own end never gets
            // here).
            finished = true
            if follower.ending.stopped.load(ordering: .sequentiallyConsistent) { return .closing(resumeAfter: delivered) }
            return Task.isCancelled ? nil : .cutOff(resumeAfter: delivered)
        }
    }
}
