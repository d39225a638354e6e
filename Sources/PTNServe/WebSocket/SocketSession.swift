import Foundation
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import ServiceLifecycle

/// One WebSocket connection in PTN's protocol (its validator's server of 2025) and Vanta's of 2026: authentication (by
/// the upgrade request's header, or PTN's auth frame), then position frames, removals included, and entry frames if
/// asked (the replay after the client's `last_sequence`, then live ones) to a subscribed client, with its control
/// messages answered beside them.
struct SocketSession: Sendable {
    let feed: ChangeFeed
    let access: FeedAccess
    let keys: AtomicSnapshot<APIKeySet>
    let connections: SocketConnections
    /// How long a new connection may take to send its auth frame before it is closed.
    let authTimeout: Duration
    /// Quotas and usage: a connection is one request on the route `ws`, its open seconds are stream seconds.
    var meter: UsageMeter = UsageMeter()
    /// Open connections held to their keys' plans, on the server's one clock for open streams.
    let plans: StreamPlans
    /// The per-address buckets of attempts without a valid key, the same the HTTP routes charge, so guessing keys over
    /// the WebSocket spends the same budget (`--ip-rate-limit`).
    var addressLimiter: RateLimiter = RateLimiter()
    var rateLimits: RateLimitConfiguration

    /// The largest frame or message a client may send (its frames are small JSON objects).
    static let maxMessageBytes = 64 * 1024

    /// What the client follows: PTN sends broadcasts only to subscribed clients; `hotkeys` and `trade_pairs` narrow.
    /// Positions added, changed and removed go to every subscriber; entry frames only to one that asked for them.
    private struct Subscription: Sendable {
        var subscribed: Bool
        var filter: FeedFilter
        var entryChanges = false

        func wants(_ event: ChangeEvent) -> Bool {
            guard subscribed, filter.matches(event) else { return false }
            switch event.kind {
            case .itemAdded, .itemChanged, .itemRemoved: return true
            case .entryChanged: return entryChanges
            case .keyAdded, .keyChanged, .keyRemoved, .newVersion: return false
            }
        }
    }

    /// Runs the connection until the client leaves, is evicted by a newer connection of its key, or falls too far behind.
    /// A key on the upgrade request is answered at once and the client follows every change from then on (Vanta's
    /// clients of 2026 send nothing before the server speaks); without one, the first frame must be PTN's auth frame.
    /// `address` is the client's, as the rate limits see it.
    func run(
        credential: SocketCredential, address: String, channel: any Channel, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter,
        logger: Logger
    ) async throws {
        var messages = inbound.messages(maxSize: Self.maxMessageBytes).makeAsyncIterator()
        let apiKey: String?
        var lastSequence: Int64 = -1
        var clientEpoch: String?
        switch credential {
        case .malformedHeader:
            return try await refuse(SocketReply.bearerHeaderRequired, address: address, outbound: outbound)
        case .header(let key):
            apiKey = key
        case .authFrame:
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
            guard case .text(let text)? = first, let request = SocketRequest(text: text) else {
                return try await refuse(nil, address: address, outbound: outbound)
            }
            guard case .auth(let frameKey, let last, let epoch) = request else {
                return try await refuse(SocketReply.authenticationRequired, address: address, outbound: outbound)
            }
            (apiKey, lastSequence, clientEpoch) = (frameKey, last, epoch)
        }
        let onUpgrade = credential != .authFrame
        guard let apiKey else { return try await refuse(SocketReply.authenticationRequired, address: address, outbound: outbound) }
        let digest = APIKeySet.digest(apiKey)
        guard let client = keys.value.client(forDigest: digest) else { return try await refuse(SocketReply.invalidKey, address: address, outbound: outbound) }
        guard client.tier >= access.socketTier else {
            return try await outbound.write(.text(SocketReply.insufficientTier(access.socketTier)))
        }
        // The key's plan at connect: expired, `ws` outside its routes, or a quota used up.
        let now = Date()
        let refusal = await PlanCheck.admission(of: client, route: RouteScope.webSocket, meter: meter, leases: plans.leases, now: now).refusal
        meter.record(alias: client.alias, route: RouteScope.webSocket, status: refusal?.status.code ?? 101, bytes: 0, at: now)
        if let refusal { return try await outbound.write(.text(SocketReply.refused(refusal))) }
        // While connected: frames counted, and the connection ended once the key may no longer use it.
        let plan = plans.guarding(client, digest: digest, route: RouteScope.webSocket, openingCounted: true)
        defer { plan.finish() }

        let follower = await feed.follow(
            since: lastSequence >= 0 ? lastSequence : nil, epoch: clientEpoch, filter: access.socketFilter(), transport: "ws"
        )
        // A client resuming from a sequence gets everything after it without having to subscribe first (PTN's client
        // subscribes only after the auth reply: live events in between would be lost otherwise), and so does one that
        // authenticated on the upgrade request (it may never send a frame).
        let subscription = AtomicSnapshot(Subscription(subscribed: onUpgrade || lastSequence >= 0, filter: access.socketFilter()))
        let (evicted, evict) = AsyncStream<Void>.makeStream()
        // At shutdown (SocketShutdown) the follow ends at once and the client is told to go away (1001).
        guard let id = connections.add(alias: client.alias, evict: { evict.yield() }, goAway: { follower.stop() }) else {
            // The server is stopping: no success reply, the client reconnects (to this server once restarted, or another).
            follower.stop()
            return try await outbound.close(.goingAway, reason: "server shutting down")
        }
        defer { connections.remove(alias: client.alias, id: id) }
        try await outbound.write(.text(SocketReply.authenticated(tier: client.tier, start: follower.start, onUpgrade: onUpgrade)))

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await message in follower.messages() {
                    switch message {
                    case .event(let event):
                        guard subscription.value.wants(event) else { continue }
                        if let refusal = try await send(event, to: outbound, plan: plan) {
                            return try await Self.end(outbound, refusal)
                        }
                    case .keepAlive:
                        continue
                    case .cutOff(let resumeAfter):
                        try await outbound.write(.text(SocketReply.tooSlow(resumeAfter: resumeAfter)))
                        await Self.stopReading(channel)
                        return
                    case .closing:
                        // The client reconnects with the last sequence it saw, to this server or another one.
                        try await outbound.close(.goingAway, reason: "server shutting down")
                        return
                    }
                }
            }
            group.addTask {
                if let refusal = await plan.watch() { try await Self.end(outbound, refusal) }
            }
            group.addTask {
                for await _ in evicted {
                    try await outbound.write(.text(SocketReply.tooManyConnections))
                    await Self.stopReading(channel)
                    return
                }
            }
            // The client's frames, until it leaves (or the tasks above end the reading): then the session ends.
            var resumed = false
            while let message = try await messages.next() {
                // Not JSON, binary, or an unknown type: ignored, as PTN does; the connection goes on.
                guard case .text(let text) = message, let request = SocketRequest(text: text) else {
                    logger.debug("WebSocket frame ignored")
                    continue
                }
                if case .auth(_, let last, let epoch) = request {
                    // Once, from a client that gave its key on the upgrade and then sends PTN's auth frame to resume.
                    guard onUpgrade, !resumed, last >= 0 else { continue }
                    resumed = true
                    try await resume(
                        after: last, epoch: epoch, liveFrom: follower.start.lastSequence, tier: client.tier, subscription: subscription,
                        outbound: outbound, plan: plan
                    )
                    continue
                }
                try await answer(request, subscription: subscription, outbound: outbound)
            }
            group.cancelAll()
        }
    }

    /// Ends a connection that gave no valid key with `reply` (nil: silently), charging the attempt to its address as
    /// HTTP does; once the address is over its budget the reply is the rate-limit error instead, so a flood of bad
    /// keys gets one short frame and the close per connection, and its HTTP requests without a key get 429 as well.
    private func refuse(_ reply: String?, address: String, outbound: WebSocketOutboundWriter) async throws {
        let decision = addressLimiter.take(address, rate: rateLimits.addressRate)
        guard decision.allowed else { return try await outbound.write(.text(SocketReply.rateLimited(decision))) }
        if let reply { try await outbound.write(.text(reply)) }
    }

    /// Answers an auth frame with `last_sequence` from a client that is already following live (it authenticated on
    /// the upgrade request): a success reply for that sequence, then the journal's events between it and where the live
    /// follow began. Live frames may have gone out before them; PTN's client keeps the highest sequence it has seen.
    private func resume(
        after last: Int64, epoch: String?, liveFrom: Int64, tier: Int, subscription: AtomicSnapshot<Subscription>, outbound: WebSocketOutboundWriter,
        plan: StreamGuard
    ) async throws {
        let filter = access.socketFilter()
        let start = await feed.page(since: last, epoch: epoch, filter: filter, limit: 0).start
        try await outbound.write(.text(SocketReply.authenticated(tier: tier, start: start)))
        guard start.replayAvailable else { return }
        var delivered = last
        while delivered < liveFrom {
            let events = await feed.replay(after: delivered, through: liveFrom, filter: filter)
            guard let newest = events.last else { return }
            for event in events where subscription.value.wants(event) {
                if let refusal = try await send(event, to: outbound, plan: plan) { return try await Self.end(outbound, refusal) }
            }
            delivered = newest.sequence
        }
    }

    /// One event as PTN's broadcast frame, counted for the key's usage as sent before permessage-deflate; returns the
    /// refusal once the frame used up the key's byte quota.
    private func send(_ event: ChangeEvent, to outbound: WebSocketOutboundWriter, plan: StreamGuard) async throws -> APIError? {
        guard let frame = SocketBroadcast.frame(event, items: access.items(feed: event.feed)) else { return nil }
        let bytes = frame.readableBytes
        try await outbound.write(.custom(WebSocketFrame(fin: true, opcode: .text, data: frame)))
        return await plan.sent(bytes: bytes)
    }

    /// Ends a connection the key's plan no longer allows: the error frame naming why, then a policy-violation close
    /// (1008), after which the client's close reply ends the session.
    private static func end(_ outbound: WebSocketOutboundWriter, _ refusal: APIError) async throws {
        try await outbound.write(.text(SocketReply.refused(refusal)))
        try await outbound.close(.policyViolation, reason: refusal.planCode)
    }

    /// Ends the reading side, so the session's loop ends and the library closes the connection with a close frame
    /// (as it does on cancellation). TLS cannot half-close: the connection is closed outright there.
    private static func stopReading(_ channel: any Channel) async {
        do { try await channel.close(mode: .input) } catch { channel.close(promise: nil) }
    }

    private func answer(_ request: SocketRequest, subscription: AtomicSnapshot<Subscription>, outbound: WebSocketOutboundWriter) async throws {
        switch request {
        case .subscribe(let all, let hotkeys, let tradePairs, let senderTimestamp, let entryChanges):
            guard all || hotkeys != nil || tradePairs != nil else {
                return try await outbound.write(.text(SocketReply.subscriptionError("Send \"all\": true, or \"hotkeys\" or \"trade_pairs\" lists.")))
            }
            subscription.store(Subscription(
                subscribed: true, filter: access.socketFilter(hotkeys: hotkeys, facets: tradePairs), entryChanges: entryChanges
            ))
            try await outbound.write(.text(SocketReply.subscription(
                action: "subscribe", all: all, hotkeys: hotkeys, tradePairs: tradePairs, senderTimestamp: senderTimestamp, entryChanges: entryChanges
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
