import Metrics
import Foundation
import HTTPTypes
import Synchronization
import class Prometheus.PrometheusCollectorRegistry
import struct Prometheus.PrometheusMetricsFactory

/// The server's Prometheus metrics: one registry per application, fed through the swift-metrics API.
///
/// A registry per instance rather than `MetricsSystem.bootstrap` keeps tests (many applications in one process) apart.
/// Every label set is bounded: route templates, not paths; key aliases, not keys; `unknown` for requests without one.
package final class ServeMetrics: Sendable {
    /// The registry `/metrics` renders.
    package let registry: PrometheusCollectorRegistry
    /// The factory the data reloader and the key watcher create their counters with.
    package let factory: PrometheusMetricsFactory

    /// Latency buckets sized for in-memory answers (sub-millisecond) up to slow clients on large bodies.
    static let latencyBuckets: [Duration] = [
        .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .seconds(2.5), .seconds(5), .seconds(10),
    ]

    /// The label set of a request's metrics; every part is bounded (see the type's comment).
    private struct RequestSeries: Hashable {
        let route: String
        let method: String
        let status: Int
        let alias: String
    }

    /// The metrics one request feeds.
    private struct RequestMetrics: Sendable {
        let requests: Counter
        let duration: Metrics.Timer
        let bytes: Counter
        /// Only for 429 answers: the requests a rate limiter refused.
        let rateLimited: Counter?
    }

    private let requestMetricsCache = Mutex<[RequestSeries: RequestMetrics]>([:])

    package init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["ptn_serve_http_request_duration_seconds"] = Self.latencyBuckets
        self.registry = registry
        self.factory = factory
    }

    /// Records one answered request; a 429 (only the rate limiters answer it) is also counted as rate-limited.
    func recordRequest(route: String, method: String, status: Int, alias: String, duration: Duration, bytes: Int) {
        let handles = requestMetrics(RequestSeries(route: route, method: method, status: status, alias: alias))
        handles.requests.increment()
        handles.duration.recordNanoseconds(duration.inNanoseconds)
        if bytes > 0 { handles.bytes.increment(by: Int64(bytes)) }
        handles.rateLimited?.increment()
    }

    /// The metrics of one label set, made once: through the factory each costs a registry lookup (name validation,
    /// label sorting, a lock), which on every request was a visible part of its CPU.
    private func requestMetrics(_ series: RequestSeries) -> RequestMetrics {
        requestMetricsCache.withLock { cache in
            if let known = cache[series] { return known }
            let route = [("route", series.route)]
            let made = RequestMetrics(
                requests: Counter(
                    label: "ptn_serve_http_requests_total",
                    dimensions: route + [("method", series.method), ("status", String(series.status)), ("alias", series.alias)],
                    factory: factory
                ),
                duration: Metrics.Timer(label: "ptn_serve_http_request_duration_seconds", dimensions: route, factory: factory),
                bytes: Counter(label: "ptn_serve_http_response_bytes_total", dimensions: route, factory: factory),
                rateLimited: series.status == HTTPResponse.Status.tooManyRequests.code
                    ? Counter(label: "ptn_serve_rate_limited_requests_total", dimensions: route + [("alias", series.alias)], factory: factory)
                    : nil
            )
            cache[series] = made
            return made
        }
    }

    /// The key file watcher's reload counter for one outcome (`applied` or `rejected`).
    func keyFileReloads(_ outcome: String) -> Counter {
        Counter(label: "ptn_serve_key_file_reloads_total", dimensions: [("result", outcome)], factory: factory)
    }

    /// The Prometheus text exposition of every metric.
    package func exposition() -> String { registry.emitToString() }

    /// A gauge in this registry (the readiness gauges are set from Health).
    func gauge(_ label: String, _ dimensions: [(String, String)]) -> Gauge {
        Gauge(label: label, dimensions: dimensions, factory: factory)
    }
}

extension Duration {
    /// The duration in whole nanoseconds, for histogram recording.
    var inNanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }

    /// The duration in (fractional) milliseconds, for logs.
    var inMilliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }

    /// Milliseconds with three decimals (`12.345`), formatted without `String(format:)`, which is slow per request.
    var millisecondsText: String {
        let micros = max(0, inNanoseconds / 1000)
        let fraction = String(micros % 1000)
        return "\(micros / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
