import Synchronization

/// The authenticated WebSocket connections per key, oldest first: as in PTN, a key holds at most `perKey` of them
/// and the one over the limit evicts the oldest (which is told so and closed).
final class SocketConnections: Sendable {
    static let perKey = 5

    private struct Connection {
        let id: UInt64
        let evict: @Sendable () -> Void
        let goAway: @Sendable () -> Void
    }

    private struct State {
        var byKey: [String: [Connection]] = [:]
        var nextID: UInt64 = 0
        /// The server is stopping: no connection is admitted any more.
        var closing = false
    }

    private let state = Mutex(State())

    /// Whether the server is stopping: new connections are refused from then on (they would be accepted by a listener
    /// about to close, and closed again).
    var isClosing: Bool { state.withLock { $0.closing } }

    /// Registers a connection of the key named `alias`; `evict` is called (outside the lock) if a newer one pushes it
    /// out, `goAway` when the server stops. Returns its id, for `remove`; nil once the server is stopping (`closeAll`),
    /// so a client reconnecting during the shutdown is not answered as if it could stay.
    func add(alias: String, evict: @escaping @Sendable () -> Void, goAway: @escaping @Sendable () -> Void) -> UInt64? {
        let admitted = state.withLock { state -> (UInt64, [Connection])? in
            guard !state.closing else { return nil }
            let id = state.nextID
            state.nextID += 1
            var list = state.byKey[alias, default: []]
            list.append(Connection(id: id, evict: evict, goAway: goAway))
            let over = max(0, list.count - Self.perKey)
            let evicted = Array(list.prefix(over))
            state.byKey[alias] = Array(list.dropFirst(over))
            return (id, evicted)
        }
        guard let (id, evicted) = admitted else { return nil }
        for connection in evicted { connection.evict() }
        return id
    }

    /// Forgets a connection that ended.
    func remove(alias: String, id: UInt64) {
        state.withLock { state in
            state.byKey[alias]?.removeAll { $0.id == id }
            if state.byKey[alias]?.isEmpty == true { state.byKey[alias] = nil }
        }
    }

    /// The connections the key named `alias` holds.
    func count(alias: String) -> Int { state.withLock { $0.byKey[alias]?.count ?? 0 } }

    /// Tells every connection to go away (the server is stopping) and admits no new one, then waits until they have
    /// ended, for at most `deadline`: each sends its own close frame before the listener would close it.
    func closeAll(within deadline: Duration) async {
        let open = state.withLock { state in
            state.closing = true
            return state.byKey.values.flatMap { $0 }
        }
        for connection in open { connection.goAway() }
        let end = ContinuousClock.now + deadline
        while state.withLock({ !$0.byKey.isEmpty }), ContinuousClock.now < end {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }
}
