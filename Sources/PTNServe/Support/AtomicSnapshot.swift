import Atomics

/// The current version of an immutable value: readers take it lock-free, a writer swaps in a whole new version.
final class AtomicSnapshot<Value: Sendable>: Sendable {
    private let current: ManagedAtomic<Version>

    /// One version, boxed so the atomic can hold it as a reference.
    private final class Version: AtomicReference, Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    init(_ value: Value) {
        current = ManagedAtomic(Version(value))
    }

    /// The version in force now.
    var value: Value { current.load(ordering: .acquiring).value }

    /// Puts `value` in force.
    func store(_ value: Value) {
        current.store(Version(value), ordering: .releasing)
    }

    /// Puts `transform(value)` in force, recomputed if another writer swapped a version in meanwhile, so no write is
    /// lost; a nil result leaves the version in force. Returns whether a new version went in.
    @discardableResult
    func update(_ transform: (Value) -> Value?) -> Bool {
        var expected = current.load(ordering: .acquiring)
        while true {
            guard let next = transform(expected.value) else { return false }
            let (exchanged, original) = current.compareExchange(
                expected: expected,
                desired: Version(next),
                ordering: .acquiringAndReleasing
            )
            if exchanged { return true }
            expected = original
        }
    }
}
