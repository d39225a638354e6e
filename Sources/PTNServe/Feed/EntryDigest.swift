import NIOCore

/// One entry's hashes: its whole bytes, each nested item's by item key, and what a later version needs once the item is
/// gone or to tell which of the entry's own members changed.
package struct EntryDigest: Sendable, Equatable {
    package let hash: UInt64
    package let items: [String: UInt64]
    /// Each item's facet value, by item key: a removal event carries it (the item is no longer in the file to read it
    /// from), so a facet filter (PTN: `trade_pairs`) lets the removal through.
    package let facets: [String: String]
    /// The hash of each of the entry's own members (all but the one holding the items), by name, to say which changed;
    /// nil when not recorded (a file followed without items, or a digest written before they were kept).
    package let members: [String: UInt64]?

    package init(hash: UInt64, items: [String: UInt64] = [:], facets: [String: String] = [:], members: [String: UInt64]? = nil) {
        self.hash = hash
        self.items = items
        self.facets = facets
        self.members = members
    }

    /// Sections after the items in `encoded`, each a tag byte and its content. A digest without them (as written before
    /// they existed) reads as one without facets or member hashes.
    private enum Section: UInt8 {
        case facets = 1
        case members = 2
    }

    /// A compact binary form for the journal: the hash, then each item's key length, key and hash; then the sections.
    package var encoded: ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: 12 + items.count * 64 + (members?.count ?? 0) * 32)
        buffer.writeInteger(hash)
        buffer.writeInteger(UInt32(items.count))
        for (key, hash) in items {
            Self.write(key, to: &buffer)
            buffer.writeInteger(hash)
        }
        if !facets.isEmpty {
            buffer.writeInteger(Section.facets.rawValue)
            buffer.writeInteger(UInt32(facets.count))
            for (key, facet) in facets {
                Self.write(key, to: &buffer)
                Self.write(facet, to: &buffer)
            }
        }
        if let members {
            buffer.writeInteger(Section.members.rawValue)
            buffer.writeInteger(UInt32(members.count))
            for (name, hash) in members {
                Self.write(name, to: &buffer)
                buffer.writeInteger(hash)
            }
        }
        return buffer
    }

    /// Reads `encoded`; nil for bytes it did not write.
    package init?(encoded: ByteBuffer) {
        var buffer = encoded
        guard let hash = buffer.readInteger(as: UInt64.self), let items = Self.readHashes(&buffer) else { return nil }
        var facets = [String: String]()
        var members: [String: UInt64]?
        while buffer.readableBytes > 0 {
            guard let tag = buffer.readInteger(as: UInt8.self).flatMap(Section.init) else { return nil }
            switch tag {
            case .facets:
                guard let count = buffer.readInteger(as: UInt32.self) else { return nil }
                for _ in 0 ..< count {
                    guard let key = Self.readString(&buffer), let facet = Self.readString(&buffer) else { return nil }
                    facets[key] = facet
                }
            case .members:
                guard let read = Self.readHashes(&buffer) else { return nil }
                members = read
            }
        }
        self.init(hash: hash, items: items, facets: facets, members: members)
    }

    private static func write(_ text: String, to buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt32(text.utf8.count))
        buffer.writeString(text)
    }

    private static func readString(_ buffer: inout ByteBuffer) -> String? {
        guard let length = buffer.readInteger(as: UInt32.self) else { return nil }
        return buffer.readString(length: Int(length))
    }

    /// A count, then that many names each with its hash.
    private static func readHashes(_ buffer: inout ByteBuffer) -> [String: UInt64]? {
        guard let count = buffer.readInteger(as: UInt32.self), Int(count) <= buffer.readableBytes else { return nil }
        var hashes = [String: UInt64](minimumCapacity: Int(count))
        for _ in 0 ..< count {
            guard let name = readString(&buffer), let hash = buffer.readInteger(as: UInt64.self) else { return nil }
            hashes[name] = hash
        }
        return hashes
    }
}
