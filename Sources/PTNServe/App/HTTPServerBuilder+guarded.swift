import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOSSL

extension HTTPServerBuilder {
    /// HTTP/1.1 behind the connection gate and, with `tls`, TLS; with the idle and read timeouts and the parser's caps.
    /// With `webSocket`, the upgrade requests it accepts become PTN WebSocket sessions: at any path, or with
    /// `webSocketPath` only on connections whose first request asks for that path (the others are plain HTTP). With
    /// `fastLane`, plain HTTP connections answer the table reads it can on the event loop, ahead of Hummingbird.
    static func guarded(
        security: SecurityConfiguration, gate: ConnectionGate, tls: AtomicSnapshot<NIOSSLContext>?, webSocket: SocketEndpoint? = nil,
        webSocketPath: String? = nil, fastLane: FastLane? = nil
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
                GuardedChannel(base: FastLaneChannel(base: HTTP1Channel(responder: responder, configuration: http1), lane: fastLane), gate: gate, tls: tls)
            }
        }
        if let webSocketPath {
            return HTTPServerBuilder { responder in
                GuardedChannel(
                    base: MainPortChannel(
                        http: FastLaneChannel(base: HTTP1Channel(responder: responder, configuration: http1), lane: fastLane),
                        webSocket: HTTP1WebSocketUpgradeChannel(
                            responder: responder,
                            configuration: .init(http1: http1, ws: SocketEndpoint.configuration),
                            shouldUpgrade: webSocket.shouldUpgrade
                        ),
                        path: webSocketPath,
                        idleTimeout: TimeAmount(security.idleTimeout),
                        headLimit: RequestLimits.parserHeaderLimit
                    ),
                    gate: gate,
                    tls: tls
                )
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
