import NIOCore

/// Reads the start of a new connection on the main port and tells whether its first request asks for `path` (`/ws`):
/// that connection is set up for a WebSocket upgrade, every other one as plain HTTP with its timeouts and error
/// answers. The bytes read are handed on untouched to the handlers set up after it, then it removes itself.
///
/// A `/ws` connection is decided only once its whole request head is in (or the head limit is reached), under the idle
/// timeout: the upgrade handler that reads the head next has no timeout of its own.
final class SocketPathSniffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    enum Route: Sendable { case http, webSocket }

    /// The connection closed, or sent nothing for the idle timeout, before its first request line.
    struct Undecided: Error {}

    private let prefixes: [[UInt8]]
    private let timeout: TimeAmount
    private let headLimit: Int
    private let decided: EventLoopPromise<Route>
    private var buffered: ByteBuffer?
    private var timer: Scheduled<Void>?
    private var done = false

    /// `decided` gets the route; `headLimit` bounds the bytes held before deciding.
    init(path: String, timeout: TimeAmount, headLimit: Int, decided: EventLoopPromise<Route>) {
        self.prefixes = [Array("GET \(path) ".utf8), Array("GET \(path)?".utf8)]
        self.timeout = timeout
        self.headLimit = headLimit
        self.decided = decided
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: timeout) {
            bound.value.handler.giveUp(context: bound.value.context)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        guard !done else { return context.fireChannelRead(data) }
        if buffered == nil { buffered = bytes } else { buffered!.writeBuffer(&bytes) }
        if let route = route(of: buffered!.readableBytesView) { decide(route, context: context) }
    }

    /// The server is stopping: a connection that has not chosen yet is idle, and closed as idle HTTP connections are.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent, !done else { return context.fireUserInboundEventTriggered(event) }
        giveUp(context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !done {
            done = true
            timer?.cancel()
            decided.fail(Undecided())
        }
        context.fireChannelInactive()
    }

    /// The route once the bytes say it, nil while they do not yet.
    private func route(of bytes: ByteBufferView) -> Route? {
        // Not (or no longer possibly) a GET of the path: plain HTTP at once.
        let asksForPath = prefixes.contains { prefix in
            zip(bytes, prefix).allSatisfy { $0 == $1 }
        }
        guard asksForPath else { return .http }
        guard bytes.count >= prefixes[0].count else { return nil }
        let headEnd: [UInt8] = Array("\r\n\r\n".utf8)
        let complete = bytes.count >= 4 && (0 ... bytes.count - 4).contains { offset in
            bytes[bytes.startIndex + offset ..< bytes.startIndex + offset + 4].elementsEqual(headEnd)
        }
        return complete || bytes.count >= headLimit ? .webSocket : nil
    }

    private func decide(_ route: Route, context: ChannelHandlerContext) {
        done = true
        timer?.cancel()
        // Sets up the chosen pipeline after this handler, synchronously (on this event loop).
        decided.succeed(route)
        if let buffered {
            self.buffered = nil
            context.fireChannelRead(wrapInboundOut(buffered))
            context.fireChannelReadComplete()
        }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    private func giveUp(context: ChannelHandlerContext) {
        guard !done else { return }
        done = true
        decided.fail(Undecided())
        context.close(promise: nil)
    }
}
