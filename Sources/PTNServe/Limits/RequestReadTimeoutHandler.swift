import NIOCore
import NIOHTTPTypes

/// Cuts off a request whose body does not arrive within the read timeout of its head, as nginx does: 408 and close.
/// Together with the idle timeout (no complete head yet) this cuts off slowloris clients at either stage.
///
/// At the timeout the request's body reader gets `TimedOut`, which `JSONErrorMiddleware` answers as 408, and the
/// connection closes once that answer is written. If an answer is already on its way, the connection just closes.
final class RequestReadTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// The error a request's body reader gets when its body did not arrive in time.
    struct TimedOut: Error {}

    private let timeout: TimeAmount
    private var scheduled: Scheduled<Void>?
    /// A head has arrived and its end has not.
    private var awaitingEnd = false
    /// A response head is written and its end is not.
    private var responding = false
    /// The timeout has passed: the next response is the last on this connection.
    private var closeAfterResponse = false

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            awaitingEnd = true
        case .end:
            awaitingEnd = false
            scheduled?.cancel()
            scheduled = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    /// The timer starts only once a read ends with a request still incomplete: a GET's head and end arrive in one
    /// read, so the common request never schedules (and cancels) a timer.
    func channelReadComplete(context: ChannelHandlerContext) {
        if awaitingEnd, scheduled == nil {
            let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
            scheduled = context.eventLoop.scheduleTask(in: timeout) { bound.value.handler.timedOut(context: bound.value.context) }
        }
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head) where head.status.kind != .informational:
            responding = true
        case .end where closeAfterResponse:
            responding = false
            context.writeAndFlush(data, promise: promise)
            context.close(promise: nil)
            return
        case .end:
            responding = false
        case .head, .body:
            break
        }
        context.write(data, promise: promise)
    }

    private func timedOut(context: ChannelHandlerContext) {
        scheduled = nil
        guard !responding else {
            context.close(promise: nil)
            return
        }
        closeAfterResponse = true
        // Reaches whoever reads the request next: the route reading its body, or the server skipping that body after
        // an answer already sent (which then closes the connection).
        context.fireErrorCaught(TimedOut())
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        scheduled?.cancel()
    }

    func channelInactive(context: ChannelHandlerContext) {
        scheduled?.cancel()
        context.fireChannelInactive()
    }
}
