import Synchronization

/// Filtered answers by file version and normalized question, so a dashboard repeating a query gets the bytes made the
/// first time. Bounded by the bytes it holds: the oldest answers go first. A new file version makes new keys; the
/// old ones age out.
final class QueryCache: Sendable {
    /// The most bytes of answers held.
    let capacity: Int

    private struct State {
        var answers: [String: EntryBody] = [:]
        /// Keys in the order they were added, for eviction.
        var order: [String] = []
        var head = 0
        var bytes = 0
    }

    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The cached answer for `key`, or `make()`'s, kept if it fits. `make` runs outside the lock; two requests
    /// racing for one new key may both make it.
    func answer(_ key: String, make: () throws -> EntryBody) rethrows -> EntryBody {
        if let hit = state.withLock({ $0.answers[key] }) { return hit }
        let made = try make()
        let size = made.identityLength + key.utf8.count
        guard size <= capacity / 4 else { return made }  // one answer may not crowd out the rest
        state.withLock { state in
            guard state.answers[key] == nil else { return }
            state.answers[key] = made
            state.order.append(key)
            state.bytes += size
            while state.bytes > capacity, state.head < state.order.count {
                let oldest = state.order[state.head]
                state.head += 1
                if let gone = state.answers.removeValue(forKey: oldest) { state.bytes -= gone.identityLength + oldest.utf8.count }
            }
            // Compact the eviction queue once half of it is spent.
            if state.head > 1024, state.head * 2 > state.order.count {
                state.order.removeFirst(state.head)
                state.head = 0
            }
        }
        return made
    }

    /// Bytes held now.
    var bytes: Int { state.withLock { $0.bytes } }
}
