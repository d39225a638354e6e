import ServiceLifecycle

/// At shutdown, ends every WebSocket session with a 1001 "going away" close and where to resume, before the WebSocket
/// listener stops (which would close them with 1000). Placed after the listener in the service list: services stop in
/// reverse order.
struct SocketShutdown: Service {
    let connections: SocketConnections

    func run() async throws {
        // Returns when shutdown begins; throws only when cancelled, and then there is nothing to close gracefully.
        guard (try? await gracefulShutdown()) != nil else { return }
        await connections.closeAll(within: .seconds(1))
    }
}
