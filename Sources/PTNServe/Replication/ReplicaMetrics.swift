import Metrics
import struct Prometheus.PrometheusMetricsFactory

/// The shared database in the metrics: connected, writer, term, applied sequence and lag, as `/ready` shows them.
struct ReplicaMetrics: Sendable {
    private let factory: PrometheusMetricsFactory?

    /// Metrics into `factory` (the server's registry); none without one.
    init(factory: PrometheusMetricsFactory? = nil) {
        self.factory = factory
    }

    func record(_ status: DatabaseStatus) {
        guard let factory else { return }
        Gauge(label: "ptn_serve_database_connected", factory: factory).record(status.connected ? 1 : 0)
        Gauge(label: "ptn_serve_database_writer", factory: factory).record(status.role == "writer" ? 1 : 0)
        Gauge(label: "ptn_serve_database_degraded", factory: factory).record(status.isDegraded ? 1 : 0)
        Gauge(label: "ptn_serve_database_term", factory: factory).record(status.term ?? 0)
        Gauge(label: "ptn_serve_database_applied_sequence", factory: factory).record(status.appliedSequence)
        Gauge(label: "ptn_serve_database_lag", factory: factory).record(status.lag ?? 0)
    }
}
