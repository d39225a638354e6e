import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle

/// The main port's connections: one whose first request is a GET of the WebSocket path (`/ws`) is set up for PTN's
/// WebSocket upgrade; every other one is plain HTTP/1.1, exactly as without the WebSocket (hummingbird's upgrade
/// pipeline reads the first request head itself, so it would take the idle timeout and the error answers from every
/// connection, not only from the WebSocket ones).
struct MainPortChannel: ServerChildChannel {
    let http: FastLaneChannel
    let webSocket: HTTP1WebSocketUpgradeChannel
    let path: String
    /// How long a new connection may take to send its first request line (the whole head for the WebSocket path).
    let idleTimeout: TimeAmount
    let headLimit: Int

    /// The connection, and its pipeline once its first bytes have chosen it. Returned at once by `setup`: the server
    /// registers the connection (and so reads from it) only after `setup`'s future completes.
    struct Value: ServerChildChannelValue {
        let channel: any Channel
        let routed: EventLoopFuture<Routed>
    }

    enum Routed: Sendable {
        case http(HTTP1Channel.Value)
        case webSocket(HTTP1WebSocketUpgradeChannel.Value)
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let decided = channel.eventLoop.makePromise(of: SocketPathSniffer.Route.self)
            try channel.pipeline.syncOperations.addHandler(
                SocketPathSniffer(path: path, timeout: idleTimeout, headLimit: headLimit, decided: decided)
            )
            let routed = decided.futureResult.flatMap { route -> EventLoopFuture<Routed> in
                switch route {
                case .http: http.setup(channel: channel, logger: logger).map(Routed.http)
                case .webSocket: webSocket.setup(channel: channel, logger: logger).map(Routed.webSocket)
                }
            }
            return Value(channel: channel, routed: routed)
        }
    }

    func handle(value: Value, logger: Logger) async {
        // Waiting for the first request line does not hold a shutdown: the connection is told to quiesce, which the
        // sniffer takes as "close if still undecided" (and the HTTP pipeline, if already chosen, as "close when idle").
        let quiesce: @Sendable () -> Void = { value.channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent()) }
        let routed = await withGracefulShutdownHandler {
            await withTaskCancellationHandler { try? await value.routed.get() } onCancel: { quiesce() }
        } onGracefulShutdown: { quiesce() }
        // Closed or silent before its first request line: the sniffer has closed it.
        guard let routed else { return }
        switch routed {
        case .http(let value): await http.handle(value: value, logger: logger)
        case .webSocket(let value): await webSocket.handle(value: value, logger: logger)
        }
    }
}
