import Synchronization

/// Counts the listeners the server opens (public port, WebSocket port, metrics listener) and calls `whenAllUp` once,
/// after the last one has bound its port: the demo prints its banner then, so a line pasted at once finds the port
/// answering.
final class ListenersUp: Sendable {
    private let remaining: Mutex<Int>
    private let whenAllUp: @Sendable () -> Void

    init(expected: Int, whenAllUp: @escaping @Sendable () -> Void) {
        remaining = Mutex(expected)
        self.whenAllUp = whenAllUp
    }

    /// One listener is up.
    func listening() {
        if remaining.withLock({ $0 -= 1; return $0 == 0 }) { whenAllUp() }
    }
}
