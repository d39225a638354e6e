import NIOCore

/// What the feed knows of the last version of a file it diffed: its ETag and, for keyed files, a hash per entry and per
/// nested item. The journal keeps it, so a restart compares its first load with the version served before.
public struct FeedBaseline: Sendable, Equatable {
    /// The ETag of the version.
    public var etag: String
    /// Per key (empty for files followed whole).
    public var entries: [String: EntryDigest]

    public init(etag: String, entries: [String: EntryDigest] = [:]) {
        self.etag = etag
        self.entries = entries
    }
}

/// One entry's hashes: its whole bytes, and each nested item's by item key.
public struct EntryDigest: Sendable, Equatable {
    public let hash: UInt64
    public let items: [String: UInt64]

    public init(hash: UInt64, items: [String: UInt64] = [:]) {
        self.hash = hash
        self.items = items
    }

    /// A compact binary form for the journal: the hash, then each item's key length, key and hash.
    public var encoded: ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: 12 + items.count * 48)
        buffer.writeInteger(hash)
        buffer.writeInteger(UInt32(items.count))
        for (key, hash) in items {
            buffer.writeInteger(UInt32(key.utf8.count))
            buffer.writeString(key)
            buffer.writeInteger(hash)
        }
        return buffer
    }

    /// Reads `encoded`; nil for bytes it did not write.
    public init?(encoded: ByteBuffer) {
        var buffer = encoded
        guard let hash = buffer.readInteger(as: UInt64.self), let count = buffer.readInteger(as: UInt32.self) else { return nil }
        var items = [String: UInt64](minimumCapacity: Int(count))
        for _ in 0 ..< count {
            guard let length = buffer.readInteger(as: UInt32.self), let key = buffer.readString(length: Int(length)),
                let itemHash = buffer.readInteger(as: UInt64.self)
            else { return nil }
            items[key] = itemHash
        }
        guard buffer.readableBytes == 0 else { return nil }
        self.init(hash: hash, items: items)
    }
}
