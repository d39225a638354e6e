import HTTPTypes
import Hummingbird
import HummingbirdWSCompression
import HummingbirdWebSocket
import Logging
import NIOCore

/// PTN's WebSocket protocol: on its own port every upgrade request, at any path (PTN's clients connect to
/// `ws://host:8765`), becomes a `SocketSession`, and a plain HTTP request there gets 426; on the main port the same at
/// `/ws` (`MainPortChannel` routes those connections here, the others stay plain HTTP).
struct SocketEndpoint: Sendable {
    let session: SocketSession

    /// The main port's WebSocket path, reserved: a route file may not use it.
    static let paths = ["ws"]

    /// On the main port: a plain GET of `/ws` gets 426 with how to connect, as the WebSocket port answers.
    static func addRoutes(to router: Router<AppRequestContext>) {
        for path in paths {
            router.get(RouterPath(stringLiteral: path)) { _, _ -> Response in throw APIError.upgradeRequired }
        }
    }

    /// Frames from clients are small JSON objects; the server pings every 30 s, as PTN's client does, to find dead peers.
    /// permessage-deflate is offered back to clients that ask for it, as Vanta's server does since 2026: position frames
    /// are repetitive JSON and shrink several times. With Vanta's settings (Python websockets' defaults: 4 KiB windows,
    /// memory level 5), not zlib's (32 KiB, 8): a subscriber's compressor is a few tens of KiB instead of a quarter MiB,
    /// which is what thousands of subscribers on one replica cost in memory and in fan-out time.
    static let configuration = WebSocketServerConfiguration(
        maxFrameSize: SocketSession.maxMessageBytes,
        extensions: [.perMessageDeflate(
            clientMaxWindow: 12, serverMaxWindow: 12, memoryLevel: 5, maxDecompressedFrameSize: SocketSession.maxMessageBytes
        )],
        autoPing: .enabled(timePeriod: .seconds(30))
    )

    /// The WebSocket port's router: a plain HTTP request, at any path, gets 426 with how to connect; an upgrade request
    /// while the server stops (refused by `shouldUpgrade`) gets 503.
    static func router(connections: SocketConnections) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: JSONErrorMiddleware())
        let answer: @Sendable (Request, AppRequestContext) async throws -> Response = { _, _ in
            throw connections.isClosing ? APIError.shuttingDown : APIError.upgradeRequired
        }
        router.get("/", use: answer)
        router.get("**", use: answer)
        return router
    }

    func shouldUpgrade(
        _ head: HTTPRequest, channel: any Channel, logger: Logger
    ) -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>> {
        // Stopping: no new session (the client retries and reaches this server's successor, or another replica).
        guard !session.connections.isClosing else { return .dontUpgrade }
        let credential = SocketCredential(authorization: head.headerFields[values: .authorization])
        let address = ClientAddress.of(headers: head.headerFields, peer: channel.remoteAddress, trustProxy: session.rateLimits.trustProxy)
        return .upgrade([:]) { inbound, outbound, context in
            try await session.run(
                credential: credential, address: address, channel: channel, inbound: inbound, outbound: outbound, logger: context.logger
            )
        }
    }
}
