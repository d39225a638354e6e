import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket

/// One WebSocket connection in PTN's protocol (spec §7): the auth frame, then position frames (the replay after the
/// client's `last_sequence`, then live ones) to a subscribed client, with its control messages answered beside them.
struct SocketSession: Sendable {
    let feed: ChangeFeed
    let access: FeedAccess
    let keys: AtomicSnapshot<APIKeySet>
    let connections: SocketConnections
    /// How long a new connection may take to send its auth frame before it is closed.
    let authTimeout: Duration

    /// The largest frame or message a client may send (its frames are small JSON objects).
    static let maxMessageBytes = 64 * 1024

    /// What the client follows: PTN sends broadcasts only to subscribed clients; `hotkeys` and `trade_pairs` narrow.
    private struct Subscription: Sendable {
        var subscribed: Bool
        var filter: FeedFilter

        func wants(_ event: ChangeEvent) -> Bool {
            subscribed && (event.kind == .itemAdded || event.kind == .itemChanged) && filter.matches(event)
        }
    }

    /// Runs the connection until the client leaves, is evicted by a newer connection of its key, or falls too far behind.
    /// `headerKey` is the `Authorization: Bearer` key of the upgrade request, if any (the auth frame's key wins).
    func run(headerKey: String?, channel: any Channel, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, logger: Logger) async throws {
        var messages = inbound.messages(maxSize: Self.maxMessageBytes).makeAsyncIterator()
        // No auth frame in time: told so, and the connection is dropped (it holds a socket and sends nothing).
        let timer = Task {
            try await Task.sleep(for: authTimeout)
            try? await outbound.write(.text(SocketReply.authenticationTimedOut))
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        let first = try await messages.next()
        timer.cancel()
        // Not JSON (or binary): closed silently, as PTN does.
        guard case .text(let text)? = first, let request = SocketRequest(text: text) else { return }

        var apiKey = headerKey
        var lastSequence: Int64 = -1
        var clientEpoch: String?
        var pending: SocketRequest?
        if case .auth(let frameKey, let last, let epoch) = request {
            apiKey = frameKey ?? headerKey
            lastSequence = last
            clientEpoch = epoch
        } else if headerKey != nil {
            // Authenticated by the upgrade request's header: the first frame is already a control message.
            pending = request
        }
        guard let apiKey else { return try await outbound.write(.text(SocketReply.authenticationRequired)) }
        guard let client = keys.value.client(for: apiKey) else { return try await outbound.write(.text(SocketReply.invalidKey)) }
        guard client.tier >= access.socketTier else {
            return try await outbound.write(.text(SocketReply.insufficientTier(access.socketTier)))
        }

        let follower = await feed.follow(
            since: lastSequence >= 0 ? lastSequence : nil, epoch: clientEpoch, filter: access.socketFilter(), transport: "ws"
        )
        // A client resuming from a sequence gets everything after it without having to subscribe first (PTN's client
        // subscribes only after the auth reply: live events in between would be lost otherwise).
        let subscription = AtomicSnapshot(Subscription(subscribed: lastSequence >= 0, filter: access.socketFilter()))
        let (evicted, evict) = AsyncStream<Void>.makeStream()
        let id = connections.add(alias: client.alias) { evict.yield() }
        defer { connections.remove(alias: client.alias, id: id) }
        try await outbound.write(.text(SocketReply.authenticated(tier: client.tier, start: follower.start)))
        if let pending { try await answer(pending, subscription: subscription, outbound: outbound) }

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await message in follower.messages() {
                    switch message {
                    case .event(let event):
                        guard subscription.value.wants(event), let frame = SocketReply.broadcast(event) else { continue }
                        try await outbound.write(.custom(WebSocketFrame(fin: true, opcode: .text, data: frame)))
                    case .keepAlive:
                        continue
                    case .cutOff(let resumeAfter):
                        try await outbound.write(.text(SocketReply.tooSlow(resumeAfter: resumeAfter)))
                        await Self.stopReading(channel)
                        return
                    }
                }
            }
            group.addTask {
                for await _ in evicted {
                    try await outbound.write(.text(SocketReply.tooManyConnections))
                    await Self.stopReading(channel)
                    return
                }
            }
            // The client's frames, until it leaves (or the tasks above end the reading): then the session ends.
            while let message = try await messages.next() {
                // Not JSON, binary, or an unknown type: ignored, as PTN does; the connection goes on.
                guard case .text(let text) = message, let request = SocketRequest(text: text), !request.isAuth else {
                    logger.debug("WebSocket frame ignored")
                    continue
                }
                try await answer(request, subscription: subscription, outbound: outbound)
            }
            group.cancelAll()
        }
    }

    /// Ends the reading side, so the session's loop ends and the library closes the connection with a close frame
    /// (as it does on cancellation). TLS cannot half-close: the connection is closed outright there.
    private static func stopReading(_ channel: any Channel) async {
        do { try await channel.close(mode: .input) } catch { channel.close(promise: nil) }
    }

    private func answer(_ request: SocketRequest, subscription: AtomicSnapshot<Subscription>, outbound: WebSocketOutboundWriter) async throws {
        switch request {
        case .subscribe(let all, let hotkeys, let tradePairs, let senderTimestamp):
            guard all || hotkeys != nil || tradePairs != nil else {
                return try await outbound.write(.text(SocketReply.subscriptionError("Send \"all\": true, or \"hotkeys\" or \"trade_pairs\" lists.")))
            }
            subscription.store(Subscription(subscribed: true, filter: access.socketFilter(hotkeys: hotkeys, tradePairs: tradePairs)))
            try await outbound.write(.text(SocketReply.subscription(
                action: "subscribe", all: all, hotkeys: hotkeys, tradePairs: tradePairs, senderTimestamp: senderTimestamp
            )))
        case .unsubscribe:
            subscription.store(Subscription(subscribed: false, filter: access.socketFilter()))
            try await outbound.write(.text(SocketReply.subscription(action: "unsubscribe", all: true, hotkeys: nil, tradePairs: nil, senderTimestamp: nil)))
        case .ping(let timestamp):
            try await outbound.write(.text(SocketReply.pong(timestamp)))
        case .invalid(let message):
            try await outbound.write(.text(SocketReply.subscriptionError(message)))
        case .auth, .unknown:
            break
        }
    }
}
