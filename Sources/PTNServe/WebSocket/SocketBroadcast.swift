import NIOCore

/// The frames that carry events in PTN's shape, `{"sequence", "timestamp", "data": {...}}`: PTN's clients read
/// `data.position` and skip (log) a frame whose position has no orders, so the frames added here leave them unharmed.
enum SocketBroadcast {
    /// The frame of `event`, or nil for kinds the WebSocket does not carry (whole-file and keyed-entry events).
    /// `items` names the item's key and facet in a removal's stub position (PTN: `position_uuid`, `trade_pair`).
    static func frame(_ event: ChangeEvent, items: FeedItems?) -> ByteBuffer? {
        switch event.kind {
        case .itemAdded, .itemChanged:
            guard let body = event.body else { return nil }
            return data(event, capacity: body.readableBytes) { $0.writeString("\"position\":"); $0.writeImmutableBuffer(body) }
        case .itemRemoved:
            guard let key = event.key, let itemKey = event.itemKey else { return nil }
            return data(event, capacity: 160) { $0.writeString(removal(key: key, itemKey: itemKey, items: items, facet: event.facet)) }
        case .entryChanged:
            guard let key = event.key, let body = event.body, body.readableBytes > 2 else { return nil }
            return data(event, capacity: body.readableBytes + 80) { buffer in
                // The body's members (`changed`, `members`) join the hotkey in one object.
                buffer.writeString("\"entry\":{\"miner_hotkey\":" + JSONText.quoted(key) + ",")
                buffer.writeImmutableBuffer(body.getSlice(at: body.readerIndex + 1, length: body.readableBytes - 1)!)
            }
        case .keyAdded, .keyChanged, .keyRemoved, .newVersion:
            return nil
        }
    }

    /// A removed position: what is known of it once it is gone (its key, its miner, its pair as a one-element
    /// `trade_pair`, so clients reading `trade_pair[0]` get the pair), and `"removed": true` beside it.
    private static func removal(key: String, itemKey: String, items: FeedItems?, facet: String?) -> String {
        var position = "{" + JSONText.quoted(items?.key ?? "key") + ":" + JSONText.quoted(itemKey) + ",\"miner_hotkey\":" + JSONText.quoted(key)
        if let facet, let name = items?.facet?.name { position += "," + JSONText.quoted(name) + ":[" + JSONText.quoted(facet) + "]" }
        return "\"position\":" + position + "},\"removed\":true"
    }

    private static func data(_ event: ChangeEvent, capacity: Int, _ content: (inout ByteBuffer) -> Void) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: capacity + 80)
        buffer.writeString("{\"sequence\":\(event.sequence),\"timestamp\":\(event.timestamp),\"data\":{")
        content(&buffer)
        buffer.writeString("}}")
        return buffer
    }
}
