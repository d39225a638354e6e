/// The current version of every served file, by name. Requests read it lock-free; the reloader swaps in new versions.
final class DataStore: Sendable {
    private let files = AtomicSnapshot<[String: FileSnapshot]>([:])

    init() {}

    /// The version of the file called `name` being served now, or nil if it was never loaded.
    func snapshot(_ name: String) -> FileSnapshot? {
        files.value[name]
    }

    /// Makes `snapshot` the served version of its file.
    func install(_ snapshot: FileSnapshot) {
        files.update { files in
            var files = files
            files[snapshot.file.name] = snapshot
            return files
        }
    }

    /// Swaps `old` for `new` (its compacted form) unless another version was installed meanwhile.
    func replace(_ old: FileSnapshot, with new: FileSnapshot) -> Bool {
        files.update { files in
            guard files[new.file.name] === old else { return nil }
            var files = files
            files[new.file.name] = new
            return files
        }
    }
}
