import NIOCore

/// One difference between two versions of a followed file, numbered in the server-wide sequence.
package struct ChangeEvent: Sendable, Equatable {
    /// What changed.
    package enum Kind: String, Sendable, CaseIterable {
        /// A nested item (PTN: a position) appeared; `body` is its JSON.
        case itemAdded = "item_added"
        /// A nested item's bytes changed; `body` is its new JSON.
        case itemChanged = "item_changed"
        /// A nested item is gone from its entry (or its entry is gone); `facet` is the one it had.
        case itemRemoved = "item_removed"
        /// An entry's own members (all but its items: PTN, a miner's returns) changed, or a new entry has them; `body` is
        /// `{"changed": [names], "members": {name: new value}}` (a name in `changed` but not in `members` is gone).
        case entryChanged = "entry_changed"
        /// A keyed entry appeared (files followed by key without items); `body` is its JSON.
        case keyAdded = "key_added"
        /// A keyed entry changed (files followed by key without items); `body` is its new JSON.
        case keyChanged = "key_changed"
        /// A keyed entry is gone, with all its items.
        case keyRemoved = "key_removed"
        /// A file followed whole has a new version (or a keyed file was first followed, or lost its shape).
        case newVersion = "new_version"
    }

    /// The event's number in the server-wide sequence (from 1).
    package let sequence: Int64
    /// When the version that produced it was installed, in milliseconds since 1970.
    package let timestamp: Int64
    /// The followed file's name in the route table (`positions`, `positions-tier-30`).
    package let feed: String
    package let kind: Kind
    /// The entry's key (PTN: the miner hotkey); nil for `new_version`.
    package let key: String?
    /// The nested item's key (PTN: the `position_uuid`).
    package let itemKey: String?
    /// The item's facet value, when its feed declares one (PTN: the pair, the first element of its `trade_pair`), for
    /// filters.
    package let facet: String?
    /// The item's or entry's JSON, for added and changed events; what changed, for `entry_changed`.
    package let body: ByteBuffer?
    /// `new_version`: the version's ETag and size in bytes.
    package let etag: String?
    package let size: Int?

    package init(
        sequence: Int64, timestamp: Int64, feed: String, kind: Kind, key: String? = nil, itemKey: String? = nil,
        facet: String? = nil, body: ByteBuffer? = nil, etag: String? = nil, size: Int? = nil
    ) {
        self.sequence = sequence
        self.timestamp = timestamp
        self.feed = feed
        self.kind = kind
        self.key = key
        self.itemKey = itemKey
        self.facet = facet
        self.body = body
        self.etag = etag
        self.size = size
    }

    /// The same event under another number.
    func numbered(_ sequence: Int64, at timestamp: Int64) -> ChangeEvent {
        ChangeEvent(
            sequence: sequence, timestamp: timestamp, feed: feed, kind: kind, key: key, itemKey: itemKey,
            facet: facet, body: body, etag: etag, size: size
        )
    }

    /// The event as one JSON object (in `/changes`, as SSE `data:`): the body is embedded as it is in the file, the facet
    /// under `facetName`, the name its feed declares.
    package func json(facetName: String?) -> ByteBuffer {
        var text = "{\"sequence\":\(sequence),\"timestamp\":\(timestamp),\"feed\":\(JSONText.quoted(feed)),\"kind\":\"\(kind.rawValue)\""
        if let key { text += ",\"key\":" + JSONText.quoted(key) }
        if let itemKey { text += ",\"item_key\":" + JSONText.quoted(itemKey) }
        if let facet, let facetName { text += "," + JSONText.quoted(facetName) + ":" + JSONText.quoted(facet) }
        if let etag { text += ",\"etag\":" + JSONText.quoted("\"\(etag)\"") }
        if let size { text += ",\"size\":\(size)" }
        var buffer = ByteBufferAllocator().buffer(capacity: text.utf8.count + (body?.readableBytes ?? 0) + 16)
        buffer.writeString(text)
        if let body {
            switch kind {
            case .entryChanged:
                // Its body's members (`changed`, `members`) are the event's own: the object is written without its braces.
                guard body.readableBytes > 2 else { break }
                buffer.writeString(",")
                buffer.writeImmutableBuffer(body.getSlice(at: body.readerIndex + 1, length: body.readableBytes - 2)!)
            case .keyAdded, .keyChanged:
                buffer.writeString(",\"value\":")
                buffer.writeImmutableBuffer(body)
            default:
                buffer.writeString(",\"item\":")
                buffer.writeImmutableBuffer(body)
            }
        }
        buffer.writeString("}")
        return buffer
    }
}
