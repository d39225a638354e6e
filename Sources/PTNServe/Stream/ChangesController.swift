import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle
import NIOCore

/// `GET /changes` (a page of the journal, the REST gap-fill) and `GET /events` (Server-Sent Events: replay, then live).
/// Both behind the key check; what a key sees follows the route table (`FeedAccess`).
struct ChangesController: Sendable {
    let feed: ChangeFeed
    let access: FeedAccess
    /// How often an idle event stream gets a comment, so proxies and clients know it is alive.
    let keepAlive: Duration
    /// Holds an open `/events` stream to its key's plan: frames counted, closed when the key may no longer use it.
    let plans: StreamPlans

    /// The paths, for the 405 answers; a route file may not use them (`ServerPaths.reserved`).
    static let paths = ["changes", "events"]
    /// Most events in one `/changes` page, and the page without `limit`.
    static let maxPage = 10_000
    static let defaultPage = 1_000
    /// The reconnection delay suggested to SSE clients, in milliseconds.
    static let retryMilliseconds = 3_000

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("changes", use: changes)
        group.get("events", use: events)
    }

    @Sendable func changes(_ request: Request, context: AppRequestContext) async throws -> Response {
        let client = try context.requireClient()
        let filter = try access.filter(request.uri.queryParameters, keyTier: client.tier)
        let since = try Self.sequence(request.uri.queryParameters.get("since").map { String($0) }, name: "since") ?? 0
        let limit = try Self.limit(request.uri.queryParameters.get("limit").map { String($0) })
        let epoch = request.uri.queryParameters.get("epoch").map { String($0) }
        let page = await feed.page(since: since, epoch: epoch, filter: filter, limit: limit)
        var body = ByteBufferAllocator().buffer(capacity: 256 + page.events.reduce(0) { $0 + ($1.body?.readableBytes ?? 0) + 200 })
        body.writeString(
            "{\"epoch\":\(JSONText.quoted(page.start.epoch)),\"first_sequence\":\(page.start.firstSequence),"
                + "\"last_sequence\":\(page.start.lastSequence),\"replay_available\":\(page.start.replayAvailable),"
                + "\"has_more\":\(page.hasMore),\"events\":["
        )
        for (index, event) in page.events.enumerated() {
            if index > 0 { body.writeString(",") }
            body.writeImmutableBuffer(event.json(facetName: access.items(feed: event.feed)?.facet?.name))
        }
        body.writeString("]}")
        return .noStoreJSON(body)
    }

    @Sendable func events(_ request: Request, context: AppRequestContext) async throws -> Response {
        let client = try context.requireClient()
        let filter = try access.filter(request.uri.queryParameters, keyTier: client.tier)
        // An empty Last-Event-ID means "none" (a client that has not received an id yet sends it so).
        let lastEventID = request.headers[.lastEventID].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        let since = try Self.sequence(lastEventID ?? request.uri.queryParameters.get("since").map { String($0) }, name: "since")
        let epoch = request.uri.queryParameters.get("epoch").map { String($0) }
        guard let digest = context.keyDigest else { throw APIError.unauthorized }
        let follower = await feed.follow(since: since, epoch: epoch, filter: filter, transport: "sse")
        // The request log counts the opening once this answer's head is returned, after the guard is made.
        let plan = plans.guarding(client, digest: digest, route: request.uri.path, openingCounted: false)
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-store", .init("X-Accel-Buffering")!: "no"],
            body: ResponseBody { writer in
                defer { plan.finish() }
                let start = follower.start
                try await writer.write(ByteBuffer(string: "retry: \(Self.retryMilliseconds)\n\n"))
                try await writer.write(Self.frame(event: "hello", data: Self.startJSON(start)))
                if !start.replayAvailable {
                    try await writer.write(Self.frame(event: "replay_unavailable", data: Self.startJSON(start)))
                }
                // On shutdown the stream ends at once with where to resume, instead of holding the process until the
                // shutdown deadline; so it does when the key's plan ends it between frames (the watch stops the follow).
                try await withGracefulShutdownHandler {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask { if await plan.watch() != nil { follower.stop() } }
                        // The ticks go through the follower's stream, so a comment is never written inside a frame.
                        group.addTask {
                            while (try? await Task.sleep(for: keepAlive)) != nil { follower.keepAlive() }
                        }
                        defer { group.cancelAll() }
                        for await message in follower.messages() {
                            switch message {
                            case .event(let event):
                                let frame = Self.frame(id: event.sequence, event: event.kind.rawValue, data: event.json(facetName: access.items(feed: event.feed)?.facet?.name))
                                try await writer.write(frame)
                                if let refusal = await plan.sent(bytes: frame.readableBytes) {
                                    return try await writer.write(Self.refusedFrame(refusal, resumeAfter: event.sequence))
                                }
                            case .keepAlive:
                                try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                            case .cutOff(let resumeAfter):
                                let data = ByteBuffer(string: "{\"reason\":\"too far behind\",\"resume_after\":\(resumeAfter)}")
                                try await writer.write(Self.frame(event: "cut_off", data: data))
                                return
                            case .closing(let resumeAfter):
                                if let refusal = plan.refusal { return try await writer.write(Self.refusedFrame(refusal, resumeAfter: resumeAfter)) }
                                let data = ByteBuffer(string: "{\"reason\":\"server shutting down\",\"resume_after\":\(resumeAfter)}")
                                try await writer.write(ByteBuffer(string: "retry: \(Self.retryMilliseconds)\n"))
                                try await writer.write(Self.frame(id: resumeAfter, event: "shutdown", data: data))
                                return
                            }
                        }
                    }
                } onGracefulShutdown: {
                    follower.stop()
                }
                try await writer.finish(nil)
            }
        )
    }

    /// The last event of a stream the key's plan ended: the reason's code, the message a request would get, and where
    /// to resume once the plan allows it again. Not counted: it is the server's word, not data.
    static func refusedFrame(_ refusal: APIError, resumeAfter: Int64) -> ByteBuffer {
        frame(event: "refused", data: ByteBuffer(string:
            "{\"reason\":\"\(refusal.planCode)\",\"message\":\(JSONText.quoted(refusal.message)),\"status\":\(refusal.status.code),"
                + "\"resume_after\":\(resumeAfter)}"
        ))
    }

    /// One SSE event; the data's lines each get their `data:` prefix (pretty-printed JSON has newlines).
    static func frame(id: Int64? = nil, event: String, data: ByteBuffer) -> ByteBuffer {
        var out = ByteBufferAllocator().buffer(capacity: data.readableBytes + 64)
        if let id { out.writeString("id: \(id)\n") }
        out.writeString("event: \(event)\n")
        for line in data.readableBytesView.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            out.writeString("data: ")
            out.writeBytes(line.last == UInt8(ascii: "\r") ? line.dropLast() : line)
            out.writeString("\n")
        }
        out.writeString("\n")
        return out
    }

    /// The `hello` (and `replay_unavailable`) data; `requested` only when the client gave a sequence.
    static func startJSON(_ start: FollowStart) -> ByteBuffer {
        ByteBuffer(string:
            "{\"epoch\":\(JSONText.quoted(start.epoch)),\(start.requested.map { "\"requested\":\($0)," } ?? "")"
                + "\"first_sequence\":\(start.firstSequence),\"last_sequence\":\(start.lastSequence),"
                + "\"replay_available\":\(start.replayAvailable),\"resume_after\":\(start.lastSequence)}"
        )
    }

    /// `limit`: a page size from 1 to `maxPage`, `defaultPage` when absent.
    private static func limit(_ text: String?) throws(APIError) -> Int {
        guard let text else { return defaultPage }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), (1 ... maxPage).contains(value) else {
            throw .invalidQuery("limit must be a whole number from 1 to \(maxPage)")
        }
        return value
    }

    /// A sequence number given by a client: a whole number of at least 0.
    private static func sequence(_ text: String?, name: String) throws(APIError) -> Int64? {
        guard let text else { return nil }
        guard let value = Int64(text.trimmingCharacters(in: .whitespaces)), value >= 0 else {
            throw .invalidQuery("\(name) must be a whole number of at least 0")
        }
        return value
    }
}

extension HTTPField.Name {
    /// `Last-Event-ID`, sent by reconnecting SSE clients.
    static let lastEventID = HTTPField.Name("Last-Event-ID")!
}
