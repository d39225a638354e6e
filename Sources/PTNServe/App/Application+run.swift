import Hummingbird
import Logging
import ServiceLifecycle

/// Runs `app` until SIGTERM or SIGINT, then shuts down gracefully: the listener closes, idle connections close,
/// in-flight responses finish; whatever is still running after `deadline` is cancelled. Returns normally (exit 0).
/// `alongside` run beside the server (the demo's simulated validator) and stop with it.
package func runUntilSignalled(_ app: some ApplicationProtocol, alongside: [any Service] = [], deadline: Duration, logger: Logger) async throws {
    var configuration = ServiceGroupConfiguration(
        services: [.init(service: app)] + alongside.map { .init(service: $0) },
        gracefulShutdownSignals: [.sigterm, .sigint],
        logger: logger
    )
    configuration.maximumGracefulShutdownDuration = deadline
    try await ServiceGroup(configuration: configuration).run()
    logger.info("ptn-serve stopped")
}
