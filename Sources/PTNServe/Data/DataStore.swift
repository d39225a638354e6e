import Atomics

/// The current version of every served file. Requests read it lock-free; the watcher swaps in new versions.
public final class DataStore: Sendable {
    private let current = ManagedAtomic(Generation(files: [:]))

    /// An immutable set of snapshots: what one atomic load hands a request.
    final class Generation: AtomicReference, Sendable {
        let files: [String: FileSnapshot]
        init(files: [String: FileSnapshot]) { self.files = files }
    }

    public init() {}

    /// The version of the file called `name` being served now, or nil if it was never loaded.
    public func snapshot(_ name: String) -> FileSnapshot? {
        current.load(ordering: .acquiring).files[name]
    }

    /// Makes `snapshot` the served version of its file.
    func install(_ snapshot: FileSnapshot) {
        _ = update(snapshot, onlyReplacing: nil)
    }

    /// Swaps `old` for `new` (its compacted form) unless another version was installed meanwhile.
    func replace(_ old: FileSnapshot, with new: FileSnapshot) -> Bool {
        update(new, onlyReplacing: old)
    }

    private func update(_ snapshot: FileSnapshot, onlyReplacing old: FileSnapshot?) -> Bool {
        var expected = current.load(ordering: .acquiring)
        while true {
            if let old, expected.files[snapshot.file.name] !== old { return false }
            var files = expected.files
            files[snapshot.file.name] = snapshot
            let (exchanged, original) = current.compareExchange(
                expected: expected,
                desired: Generation(files: files),
                ordering: .acquiringAndReleasing
            )
            if exchanged { return true }
            expected = original
        }
    }
}
