import Atomics

/// The keys in force. Requests read them lock-free; the key file watcher swaps in each valid edit.
public final class APIKeyStore: Sendable {
    private let current: ManagedAtomic<Box>

    private final class Box: AtomicReference, Sendable {
        let keys: APIKeySet
        init(_ keys: APIKeySet) { self.keys = keys }
    }

    public init(_ keys: APIKeySet) {
        self.current = ManagedAtomic(Box(keys))
    }

    /// The keys in force now.
    public var keys: APIKeySet { current.load(ordering: .acquiring).keys }

    /// The client holding `key`, or nil.
    public func client(for key: String) -> APIClient? { keys.client(for: key) }

    /// Puts a new key set in force.
    func replace(with keys: APIKeySet) {
        current.store(Box(keys), ordering: .releasing)
    }
}
