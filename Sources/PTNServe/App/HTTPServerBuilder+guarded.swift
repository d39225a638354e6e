import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOSSL

extension HTTPServerBuilder {
    /// HTTP/1.1 behind the connection gate and, with `tls`, TLS; with the idle and read timeouts and the parser's caps.
    /// With `webSocket`, the upgrade requests it accepts become PTN WebSocket sessions. With `fastLane`, table reads it
    /// can answer are answered on the event loop, ahead of Hummingbird.
    static func guarded(
        security: SecurityConfiguration, gate: ConnectionGate, tls: AtomicSnapshot<NIOSSLContext>?, webSocket: SocketEndpoint? = nil,
        fastLane: FastLane? = nil
    ) -> HTTPServerBuilder {
        let readTimeout = TimeAmount(security.readTimeout)
        var configuration = HTTP1Channel.Configuration(
            additionalChannelHandlers: [RequestReadTimeoutHandler(timeout: readTimeout)],
            idleTimeout: TimeAmount(security.idleTimeout)
        )
        configuration.httpDecoder = .init(
            maxHeaderFieldSize: RequestLimits.parserHeaderLimit,
            maxHeaderListSize: RequestLimits.parserHeaderLimit,
            maxHeaderFieldCount: 200
        )
        let http1 = configuration
        guard let webSocket else {
            return HTTPServerBuilder { responder in
                GuardedChannel(base: HTTP1Channel(responder: responder, configuration: http1), gate: gate, tls: tls, fastLane: fastLane)
            }
        }
        return HTTPServerBuilder { responder in
            GuardedChannel(
                base: HTTP1WebSocketUpgradeChannel(
                    responder: responder,
                    configuration: .init(http1: http1, ws: SocketEndpoint.configuration),
                    shouldUpgrade: webSocket.shouldUpgrade
                ),
                gate: gate,
                tls: tls
            )
        }
    }
}
