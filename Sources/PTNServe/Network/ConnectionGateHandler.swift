import NIOCore

/// First handler of every connection: closes it before anything is read when the gate refuses it (peer outside
/// `--allow-from`, or too many connections). Refusing here rather than failing the channel set-up keeps the
/// listener itself unaffected.
final class ConnectionGateHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    private let gate: ConnectionGate
    private var decided = false

    init(gate: ConnectionGate) {
        self.gate = gate
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { decide(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        // Not passing channelActive on when refused means no read is ever requested.
        if decide(context: context) { context.fireChannelActive() }
    }

    /// Returns whether the connection is served; runs once per connection.
    @discardableResult
    private func decide(context: ChannelHandlerContext) -> Bool {
        if decided { return context.channel.isActive }
        decided = true
        guard gate.admits(context.channel.remoteAddress) else {
            gate.logger.debug("connection refused: peer outside --allow-from")
            context.close(promise: nil)
            return false
        }
        guard gate.acquire() else {
            gate.logger.warning("connection refused: --max-connections reached", metadata: ["max": "\(gate.maxConnections)"])
            context.close(promise: nil)
            return false
        }
        let gate = self.gate
        context.channel.closeFuture.whenComplete { _ in gate.release() }
        return true
    }
}
