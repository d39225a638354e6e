import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// Builds the server: loads the keys and every data file present, then wires the routes and the watchers.
public func buildApplication(_ config: ServeConfiguration, logger: Logger) async throws -> some ApplicationProtocol {
    let (keys, keyFileContents) = try loadKeys(from: config.apiKeysFile, logger: logger)
    let store = DataStore()
    var reloader = DataReloader(root: config.dataRoot, store: store, logger: logger)
    // Everything present is served from the first request on: the port opens only after this.
    reloader.checkAllBlocking()
    let router = buildRouter(
        store: store, keys: keys, extractor: APIKeyExtractor(allowQueryKey: config.allowQueryKey), security: config.security
    )
    // Hardening: the connection gate (allow-from, connection cap), TLS with certificate reloads, timeouts.
    let gate = ConnectionGate(allowFrom: config.security.allowFrom, maxConnections: config.security.maxConnections, logger: logger)
    let tls = try config.security.tls.map { files in
        do throws(TLSContextStore.TLSLoadError) { return try TLSContextStore(files: files) } catch { throw StartupError(description: error.description) }
    }
    var hardeningServices: [any Service] = []
    if let tls { hardeningServices.append(CertificateWatcherService(store: tls, interval: .seconds(2), logger: logger)) }
    return Application(
        router: router,
        server: .guarded(security: config.security, gate: gate, tls: tls),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "ptn-serve"),
        services: hardeningServices + [
            DataWatcherService(reloader: reloader, interval: config.pollInterval),
            KeyFileWatcherService(
                path: config.apiKeysFile.path,
                store: keys,
                initialContents: keyFileContents,
                interval: config.pollInterval,
                logger: logger
            ),
        ],
        onServerRunning: { channel in
            logger.info("ptn-serve is listening", metadata: ["address": "\(channel.localAddress?.description ?? "?")"])
        },
        logger: logger
    )
}

/// The routes: every data route behind the key check, unknown paths and wrong methods answered as JSON errors.
public func buildRouter(
    store: DataStore, keys: APIKeyStore, extractor: APIKeyExtractor, security: SecurityConfiguration = .init()
) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: JSONErrorMiddleware())
    // Hardening: size caps on everything; per-address limits on keyless requests, per-key limits after the key check.
    router.add(middleware: RequestSizeLimitMiddleware())
    let limits = security.rateLimits
    let authenticated = router.group()
        .add(middleware: AddressRateLimitMiddleware(limiter: RateLimiter(capacity: limits.tableCapacity), configuration: limits))
        .add(middleware: APIKeyMiddleware(keys: keys, extractor: extractor))
        .add(middleware: KeyRateLimitMiddleware(limiter: RateLimiter(capacity: limits.tableCapacity), configuration: limits))
    PositionsController(store: store).addRoutes(to: authenticated)
    StatisticsController(store: store).addRoutes(to: authenticated)
    ValidatorFilesController(store: store).addRoutes(to: authenticated)
    let dataPaths = [
        "miner-positions", "miner-positions/{hotkey}", "miner-hotkeys", "statistics", "statistics/{hotkey}", "eliminations",
        "miner-copying", "validator-checkpoint",
    ]
    for path in dataPaths {
        for method in [HTTPRequest.Method.post, .put, .patch, .delete, .options] {
            router.on(RouterPath(path), method: method) { _, _ -> Response in throw APIError.methodNotAllowed }
        }
    }
    return router
}

/// Reads the key file at start-up; unlike a later bad edit, a missing or broken file here stops the server.
func loadKeys(from file: URL, logger: Logger) throws -> (APIKeyStore, Data) {
    let howTo = "Create it with content like \(APIKeyFile.example), or pass --api-keys FILE."
    guard let contents = FileManager.default.contents(atPath: file.path) else {
        throw StartupError(description: "API key file \(file.path) does not exist or cannot be read. \(howTo)")
    }
    do {
        let (keys, warnings) = try APIKeyFile.parse(contents)
        KeyFilePermissions.warnIfExposed(file.path, logger: logger)
        for warning in warnings { logger.warning("key file entry skipped", metadata: ["reason": "\(warning)"]) }
        if keys.count == 0 { logger.warning("the key file holds no usable key: every request will get 401") }
        return (APIKeyStore(keys), contents)
    } catch {
        throw StartupError(description: "API key file \(file.path) is not usable: \(error.description). \(howTo)")
    }
}
