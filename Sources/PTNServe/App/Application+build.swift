import Foundation
import Hummingbird
import Logging
import NIOSSL
import ServiceLifecycle
import HummingbirdWebSocket

/// Builds the server: reads the route table, loads the keys and every data file present, then wires the routes and
/// the watchers. `observability` is created here unless a caller (a test) wants to read the metrics and usage.
/// `onListening` is called once every listener is up.
package func buildApplication(
    _ config: ServeConfiguration,
    logger: Logger,
    observability: Observability = Observability(),
    onListening: @escaping @Sendable () -> Void = {}
) async throws -> some ApplicationProtocol {
    let table: RouteTable
    do { table = try config.routeTable() } catch { throw StartupError(description: error.description) }
    let keyFile = config.apiKeysFile(for: table)
    let (keys, keyFileContents) = try loadKeys(from: keyFile, logger: logger)
    let store = DataStore()
    // Opened before the first load, which is compared with the journal's baselines: changes made while down are emitted.
    // Quotas and usage: rows beside the journal, the current periods' use loaded before the port opens.
    let storage = try await ServerStorage.open(
        config, table: table, stateDirectory: config.stateDirectory(keyFile: keyFile), observability: observability, logger: logger
    )
    let (feed, subscriptions) = (storage.feed, storage.subscriptions)
    var reloader = DataReloader(
        root: config.dataRoot, table: table, store: store, logger: logger, status: observability.fileStatus, listener: feed
    )
    // Everything present is served from the first request on: the port opens only after this.
    await reloader.checkAll()
    logger.info("serving a route table", metadata: ["profile": "\(table.profile)", "routes": "\(table.routes.count)"])
    // Attempts without a valid key, per address: HTTP requests and WebSocket connections spend one budget.
    let addressLimiter = RateLimiter(capacity: config.security.rateLimits.tableCapacity)
    // Open streams (SSE and WebSocket) held to their keys' plans, all checked on one clock (a service below).
    let plans = StreamPlans(keys: keys, meter: subscriptions.meter, leases: subscriptions.leases)
    let (router, tableRoutes) = buildRouter(
        table: table,
        store: store,
        keys: keys,
        extractor: APIKeyExtractor(allowQueryKey: config.allowQueryKey),
        security: config.security,
        operations: .init(observability: observability, staleAfter: config.staleAfter, feed: feed, replica: storage.replica?.state),
        queryCache: QueryCache(capacity: config.queryCacheMegabytes * 1_048_576),
        subscriptions: subscriptions,
        addressLimiter: addressLimiter,
        streamPlans: plans
    )
    // The operator console (on the metrics listener) edits the key file the watcher below puts in force.
    let console = ConsoleSources(
        table: table, store: store, fileStatus: observability.fileStatus, staleAfter: config.staleAfter, feed: feed,
        keys: keys, traffic: observability.traffic, keyFilePath: keyFile.path, meter: subscriptions.meter
    )
    let listeners = ListenersUp(expected: 1 + (config.wsPort != 0 ? 1 : 0) + (config.metricsPort != 0 ? 1 : 0), whenAllUp: onListening)
    // Hardening: the connection gate (allow-from, connection cap), TLS with certificate reloads, timeouts.
    let gate = ConnectionGate(allowFrom: config.security.allowFrom, maxConnections: config.security.maxConnections, logger: logger)
    // Table reads answered on the event loop, from the same decision as Hummingbird's route handlers.
    let fastLane = config.fastLane ? tableRoutes.fastLane(logger: logger, serverName: serverName) : nil
    var services: [any Service] = [
        PollingService(every: config.pollInterval, reloader),
        PollingService(
            every: config.pollInterval,
            KeyFileWatcher(path: keyFile.path, keys: keys, contents: keyFileContents, logger: logger, metrics: observability.metrics)
        ),
        UsageFlusher(subscriptions: subscriptions, logger: logger, lastWriteDeadline: config.security.shutdownDeadline),
        PollingService(every: StreamGuard.checkInterval, plans.watch),
    ]
    // Several replicas: which one writes, and every one's reading of what is written.
    if let replica = storage.replica { services.append(replica) }
    var tls: AtomicSnapshot<NIOSSLContext>?
    if let files = config.security.tls {
        let context: AtomicSnapshot<NIOSSLContext>
        do throws(TLSLoadError) { context = AtomicSnapshot(try files.makeContext()) } catch { throw StartupError(description: error.description) }
        services.append(PollingService(every: .seconds(2), CertificateWatcher(files: files, context: context, logger: logger)))
        tls = context
    }
    // PTN's WebSocket protocol: at /ws on the main port, and on its own port. A key's connection cap and the shutdown
    // cover both.
    let connections = SocketConnections()
    let sockets = SocketEndpoint(session: SocketSession(
        feed: feed, access: FeedAccess(table: table), keys: keys, connections: connections, authTimeout: config.security.readTimeout,
        meter: subscriptions.meter, plans: plans, addressLimiter: addressLimiter, rateLimits: config.security.rateLimits
    ))
    if config.wsPort != 0 {
        services.append(Application(
            router: SocketEndpoint.router(connections: connections),
            server: .guarded(security: config.security, gate: gate, tls: tls, webSocket: sockets),
            configuration: .init(address: .hostname(config.host, port: config.wsPort), serverName: serverName),
            onServerRunning: { channel in
                logger.info("ptn-serve WebSocket port is listening", metadata: ["address": "\(channel.localAddress?.description ?? "?")"])
                listeners.listening()
            },
            logger: logger
        ))
    }
    services.append(SocketShutdown(connections: connections))
    return Application(
        router: router,
        server: .guarded(
            security: config.security, gate: gate, tls: tls, webSocket: sockets, webSocketPath: "/" + SocketEndpoint.paths[0], fastLane: fastLane
        ),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: serverName),
        services: services + observability.services(config, table: table, store: store, console: console, listeners: listeners, logger: logger),
        onServerRunning: { channel in
            logger.info("ptn-serve is listening", metadata: ["address": "\(channel.localAddress?.description ?? "?")"])
            listeners.listening()
        },
        logger: logger
    )
}

/// The routes: every route of the table behind the key check, the operational routes, and unknown paths and wrong
/// methods answered as JSON errors; with the table routes' shared decision the fast lane answers from.
func buildRouter(
    table: RouteTable,
    store: DataStore,
    keys: AtomicSnapshot<APIKeySet>,
    extractor: APIKeyExtractor,
    security: SecurityConfiguration = .init(),
    operations: OperationsRoutes = .init(staleAfter: ServeConfiguration().staleAfter),
    queryCache: QueryCache = QueryCache(capacity: ServeConfiguration().queryCacheMegabytes * 1_048_576),
    subscriptions: Subscriptions = Subscriptions(store: InMemoryUsageStore()),
    addressLimiter: RateLimiter? = nil,
    streamPlans: StreamPlans? = nil
) -> (router: Router<AppRequestContext>, tables: TableRoutes) {
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    // Outermost, so it sees every answer, errors included, once JSONErrorMiddleware has rendered them.
    let log = RequestLogMiddleware(
        metrics: operations.observability.metrics, usage: operations.observability.usage, traffic: operations.observability.traffic,
        meter: subscriptions.meter
    )
    router.add(middleware: log)
    router.add(middleware: JSONErrorMiddleware())
    // Hardening: size caps on everything; per-address limits on keyless requests, per-key limits after the key check.
    router.add(middleware: RequestSizeLimitMiddleware())
    operations.addRoutes(to: router, table: table, store: store)
    let limits = security.rateLimits
    let answer = TableAnswer(
        keys: keys, extractor: extractor, addressLimiter: addressLimiter ?? RateLimiter(capacity: limits.tableCapacity),
        keyLimiter: RateLimiter(capacity: limits.tableCapacity), limits: limits, meter: subscriptions.meter, leases: subscriptions.leases,
        clock: { Date() }
    )
    let authenticated = router.group()
        .add(middleware: AddressRateLimitMiddleware(limiter: answer.addressLimiter, configuration: limits))
        .add(middleware: APIKeyMiddleware(keys: keys, extractor: extractor))
        .add(middleware: PlanMiddleware(meter: subscriptions.meter, leases: subscriptions.leases, clock: answer.clock))
        .add(middleware: KeyRateLimitMiddleware(limiter: answer.keyLimiter, configuration: limits))
    // The table routes decide in one synchronous step (`TableAnswer`), which the fast lane shares.
    let controllers = table.routes.map { TableRouteController(route: $0, store: store, cache: queryCache) }
    let tables = router.group()
    for controller in controllers {
        tables.get(RouterPath(controller.route.routerPath)) { request, context in
            await answer.respond(request, context: context, controller: controller)
        }
    }
    if let feed = operations.feed {
        // Without `buildApplication`'s (router tests), nothing checks open streams on a clock; frames still count.
        let plans = streamPlans ?? StreamPlans(keys: keys, meter: subscriptions.meter, leases: subscriptions.leases)
        ChangesController(feed: feed, access: FeedAccess(table: table), keepAlive: operations.keepAlive, plans: plans).addRoutes(to: authenticated)
    }
    UsageController(subscriptions: subscriptions).addRoutes(to: authenticated)
    // PTN's WebSocket at /ws: upgrades never reach the router; a plain GET is told to upgrade.
    SocketEndpoint.addRoutes(to: router)
    // The data explorer: pages and assets without a key, the data through the routes above.
    ExplorerController(table: table).addRoutes(to: router, authenticated: authenticated)
    router.addMethodNotAllowed(paths: table.routes.map(\.routerPath) + ServerPaths.publicPaths)
    let routes = FastLaneRoutes(controllers: controllers, otherPaths: ServerPaths.publicPaths)
    return (router, TableRoutes(routes: routes, answer: answer, log: log))
}

/// The name in every answer's `Server` field.
let serverName = "ptn-serve"

/// Reads the key file at start-up; unlike a later bad edit, a missing or broken file here stops the server.
func loadKeys(from file: URL, logger: Logger) throws -> (AtomicSnapshot<APIKeySet>, Data) {
    let howTo = "Create it with content like \(APIKeyFile.example), or pass --api-keys FILE."
    guard let contents = FileManager.default.contents(atPath: file.path) else {
        throw StartupError(description: "API key file \(file.path) does not exist or cannot be read. \(howTo)")
    }
    do {
        let (keys, warnings) = try APIKeyFile.parse(contents)
        KeyFilePermissions.warnIfExposed(file.path, logger: logger)
        for warning in warnings { logger.warning("key file entry skipped", metadata: ["reason": "\(warning)"]) }
        if keys.count == 0 { logger.warning("the key file holds no usable key: every request will get 401") }
        return (AtomicSnapshot(keys), contents)
    } catch {
        throw StartupError(description: "API key file \(file.path) is not usable: \(error.description). \(howTo)")
    }
}
