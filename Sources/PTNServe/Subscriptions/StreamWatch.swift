import Synchronization

/// Every open stream's plan, checked on one clock: each `StreamGuard.checkInterval` (a `PollingService`) every open
/// stream's key is looked up again and its open seconds recorded, and the streams the key may no longer use are ended.
/// A timer per stream cost a replica with thousands of subscribers more than the events it sent them (the timer heap
/// and a wake-up per stream per second).
final class StreamWatch: PeriodicCheck {
    private struct Watched {
        let plan: StreamGuard
        let end: @Sendable (APIError) -> Void
    }

    private let streams = Mutex((next: UInt64(0), watched: [UInt64: Watched]()))

    init() {}

    /// The streams watched now.
    var count: Int { streams.withLock { $0.watched.count } }

    /// Watches `plan` until the key may no longer use its stream, then calls `end` with why (once) and forgets it;
    /// `remove` forgets it before that.
    func add(_ plan: StreamGuard, end: @escaping @Sendable (APIError) -> Void) -> UInt64 {
        streams.withLock { streams in
            streams.next += 1
            streams.watched[streams.next] = Watched(plan: plan, end: end)
            return streams.next
        }
    }

    func remove(_ id: UInt64) {
        _ = streams.withLock { $0.watched.removeValue(forKey: id) }
    }

    /// One round: every stream checked, outside the lock (a check takes the meter's).
    func run() async {
        for (id, stream) in streams.withLock({ Array($0.watched) }) {
            guard let refusal = stream.plan.check() else { continue }
            remove(id)
            stream.end(refusal)
        }
    }
}
