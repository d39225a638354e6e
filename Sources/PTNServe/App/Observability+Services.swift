import Logging
import ServiceLifecycle

extension Observability {
    /// The background services `config` asks for: the usage report and the metrics listener with the operator console
    /// (each can be turned off).
    func services(
        _ config: ServeConfiguration, table: RouteTable, store: DataStore, console: ConsoleSources?, listeners: ListenersUp, logger: Logger
    ) -> [any Service] {
        var services = [any Service]()
        if config.usageReportInterval > .zero {
            services.append(PollingService(every: config.usageReportInterval, UsageReporter(recorder: usage, logger: logger)))
        }
        if config.metricsPort != 0 {
            let (status, staleAfter) = (fileStatus, config.staleAfter)
            services.append(
                MetricsEndpoint.application(
                    host: config.metricsHost,
                    port: config.metricsPort,
                    metrics: metrics,
                    console: console.map { ConsoleController(sources: $0, listenHost: config.metricsHost, logger: logger) },
                    readiness: { (ReadinessReport.evaluate(table: table, store: store, status: status, staleAfter: staleAfter), table, store) },
                    onListening: listeners.listening,
                    logger: logger
                )
            )
        }
        return services
    }
}
