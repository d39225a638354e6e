import Hummingbird
import Logging

/// The separate listener for `/metrics` and the operator console: a second, tiny application run as a service beside
/// the public one, so Prometheus and the operator use a loopback port and the public port never exposes operational data.
enum MetricsEndpoint {
    /// The Prometheus text format's content type.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"
    /// The paths served besides the console's; a route file may not use them (`ServerPaths.reserved`), to avoid
    /// confusion although they are on another listener.
    static let paths = ["metrics"]

    /// The router: `GET /metrics` refreshes the data file gauges, then renders the registry; `console` adds the console.
    static func router(
        metrics: ServeMetrics,
        console: ConsoleController? = nil,
        readiness: @escaping @Sendable () -> (ReadinessReport, RouteTable, DataStore)
    ) -> Router<BasicRequestContext> {
        let router = Router(options: .autoGenerateHeadEndpoints)
        console?.addRoutes(to: router)
        router.get(RouterPath(paths[0])) { _, _ -> Response in
            let (report, table, store) = readiness()
            metrics.update(from: report, table: table, store: store)
            return Response(
                status: .ok,
                headers: [.contentType: contentType],
                body: .init(byteBuffer: ByteBuffer(string: metrics.exposition()))
            )
        }
        return router
    }

    /// The listener on `host:port`.
    static func application(
        host: String,
        port: Int,
        metrics: ServeMetrics,
        console: ConsoleController?,
        readiness: @escaping @Sendable () -> (ReadinessReport, RouteTable, DataStore),
        onListening: @escaping @Sendable () -> Void = {},
        logger: Logger
    ) -> some ApplicationProtocol {
        Application(
            router: router(metrics: metrics, console: console, readiness: readiness),
            configuration: .init(address: .hostname(host, port: port), serverName: "ptn-serve-metrics"),
            onServerRunning: { channel in
                logger.info("metrics and the operator console are served", metadata: ["address": "\(channel.localAddress?.description ?? "?")"])
                onListening()
            },
            logger: logger
        )
    }
}
