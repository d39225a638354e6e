import NIOCore

/// Which of an entry's own members (PTN: a miner's returns, beside its positions) differ from the version before, as
/// the body of an `entry_changed` event: `{"changed": [names], "members": {name: new value}}`, names sorted.
struct EntryChange {
    let body: ByteBuffer

    /// Nil when nothing changed, or when the version before has no member hashes to compare with (a digest written
    /// before they were kept: it gets them now, and the next change is told). A new entry has all its members changed.
    init?(before: EntryDigest?, members: [String: (hash: UInt64, range: Range<Int>)], raw: UnsafeRawBufferPointer) {
        let previous: [String: UInt64]
        if let before {
            guard let recorded = before.members else { return nil }
            previous = recorded
        } else {
            previous = [:]
        }
        let changed = Set(members.keys).union(previous.keys).filter { previous[$0] != members[$0]?.hash }.sorted()
        guard !changed.isEmpty else { return nil }
        var body = ByteBufferAllocator().buffer(capacity: 64 + changed.reduce(0) { $0 + $1.utf8.count * 2 + (members[$1]?.range.count ?? 0) + 8 })
        body.writeString("{\"changed\":[" + changed.map(JSONText.quoted).joined(separator: ",") + "],\"members\":{")
        var first = true
        for name in changed {
            guard let range = members[name]?.range else { continue }
            body.writeString((first ? "" : ",") + JSONText.quoted(name) + ":")
            body.writeBytes(UnsafeRawBufferPointer(rebasing: raw[range]))
            first = false
        }
        body.writeString("}}")
        self.body = body
    }
}
