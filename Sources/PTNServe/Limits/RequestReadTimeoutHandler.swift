import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request body does not arrive within the read timeout of its head. Together with the
/// idle timeout (no complete head yet) this cuts off slowloris clients at either stage.
final class RequestReadTimeoutHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    private let timeout: TimeAmount
    private var scheduled: Scheduled<Void>?
    /// A head has arrived and its end has not.
    private var awaitingEnd = false

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
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            scheduled = context.eventLoop.scheduleTask(in: timeout) { loopBound.value.close(promise: nil) }
        }
        context.fireChannelReadComplete()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        scheduled?.cancel()
    }

    func channelInactive(context: ChannelHandlerContext) {
        scheduled?.cancel()
        context.fireChannelInactive()
    }
}
