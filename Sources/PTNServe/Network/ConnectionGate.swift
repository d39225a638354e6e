import Atomics
import Logging
import NIOCore

/// Decides which connections are served: only peers inside `--allow-from` (when set), and at most `--max-connections`
/// at once. Shared by every connection; the count is a lock-free atomic.
final class ConnectionGate: Sendable {
    let allowFrom: [CIDR]
    let maxConnections: Int
    let logger: Logger
    private let open = ManagedAtomic(0)

    init(allowFrom: [CIDR], maxConnections: Int, logger: Logger) {
        self.allowFrom = allowFrom
        self.maxConnections = maxConnections
        self.logger = logger
    }

    /// Connections being served now.
    var openConnections: Int { open.load(ordering: .relaxed) }

    /// Whether the network rule admits `peer` (nil peers, e.g. Unix sockets, are admitted only without a rule).
    func admits(_ peer: SocketAddress?) -> Bool {
        guard !allowFrom.isEmpty else { return true }
        guard let peer else { return false }
        return allowFrom.contains { $0.contains(peer) }
    }

    /// Takes a connection slot; false when the cap is reached (the slot is then not held).
    func acquire() -> Bool {
        let now = open.loadThenWrappingIncrement(ordering: .relaxed) + 1
        if now > maxConnections {
            open.wrappingDecrement(ordering: .relaxed)
            return false
        }
        return true
    }

    func release() { open.wrappingDecrement(ordering: .relaxed) }
}
