import Foundation

/// What the console shows of the public port's traffic: the last hour minute by minute, the busiest routes, and each
/// key's requests, bytes and 429 answers over the last hour and day. Aliases and route templates only, never keys.
package struct TrafficReport: Sendable, Encodable, Equatable {
    /// One minute of the server-wide series.
    package struct Minute: Sendable, Encodable, Equatable {
        package let startMilliseconds: Int64
        package let requests: Int
        package let requestsPerSecond: Double
        /// Upper bounds of the latency buckets holding the median and the 99th percentile; nil without requests.
        package let p50Milliseconds: Double?
        package let p99Milliseconds: Double?
        package let clientErrors: Int
        package let serverErrors: Int

        enum CodingKeys: String, CodingKey {
            case startMilliseconds = "start_ms", requests, requestsPerSecond = "rps", p50Milliseconds = "p50_ms"
            case p99Milliseconds = "p99_ms", clientErrors = "client_errors", serverErrors = "server_errors"
        }
    }

    /// The last hour's totals.
    package struct Totals: Sendable, Encodable, Equatable {
        package let requests: Int
        package let clientErrors: Int
        package let serverErrors: Int
        package let p50Milliseconds: Double?
        package let p99Milliseconds: Double?

        enum CodingKeys: String, CodingKey {
            case requests, clientErrors = "client_errors", serverErrors = "server_errors"
            case p50Milliseconds = "p50_ms", p99Milliseconds = "p99_ms"
        }
    }

    /// One route's last hour.
    package struct RouteCount: Sendable, Encodable, Equatable {
        package let route: String
        package let requests: Int
        package let errors: Int
    }

    /// One key's usage.
    package struct KeyCount: Sendable, Encodable, Equatable {
        package let requestsHour: Int
        package let bytesHour: Int
        package let limitedHour: Int
        package let requestsDay: Int
        package let bytesDay: Int
        package let limitedDay: Int
        /// When the key was last used, in Unix milliseconds.
        package let lastSeenMilliseconds: Int64

        enum CodingKeys: String, CodingKey {
            case requestsHour = "requests_hour", bytesHour = "bytes_hour", limitedHour = "limited_hour"
            case requestsDay = "requests_day", bytesDay = "bytes_day", limitedDay = "limited_day"
            case lastSeenMilliseconds = "last_seen_ms"
        }
    }

    /// The last 60 minutes, oldest first, the current (partial) minute last.
    package let minutes: [Minute]
    package let hour: Totals
    /// The ten busiest routes of the last hour.
    package let topRoutes: [RouteCount]
    /// By alias (`unknown`: requests without an accepted key).
    package let keys: [String: KeyCount]

    enum CodingKeys: String, CodingKey {
        case minutes, hour, topRoutes = "top_routes", keys
    }

    /// Reads `series` at `seconds` (Unix time).
    static func make(_ series: TrafficSeries, seconds: Double) -> TrafficReport {
        let now = Int64(seconds / 60)
        var minutes = [Minute]()
        var hourLatency = [Int](repeating: 0, count: LatencyHistogram.count)
        var totals = (requests: 0, client: 0, server: 0)
        for minute in (now - 59)...now {
            let counts = series.minute(minute)
            // The current minute is partial: its rate is over the seconds elapsed so far.
            let span = minute == now ? max(1, seconds - Double(minute * 60)) : 60
            minutes.append(Minute(
                startMilliseconds: minute * 60_000,
                requests: counts?.requests ?? 0,
                requestsPerSecond: Double(counts?.requests ?? 0) / span,
                p50Milliseconds: counts.flatMap { LatencyHistogram.quantile(0.5, counts: $0.latency) },
                p99Milliseconds: counts.flatMap { LatencyHistogram.quantile(0.99, counts: $0.latency) },
                clientErrors: counts?.clientErrors ?? 0,
                serverErrors: counts?.serverErrors ?? 0
            ))
            if let counts {
                totals.requests += counts.requests
                totals.client += counts.clientErrors
                totals.server += counts.serverErrors
                for (index, count) in counts.latency.enumerated() { hourLatency[index] += count }
            }
        }
        let routes = series.routes.map { route, ring in
            let sums = ring.totals(now: now)
            return RouteCount(route: route, requests: sums.0, errors: sums.1)
        }
        .filter { $0.requests > 0 }
        .sorted { ($0.requests, $1.route) > ($1.requests, $0.route) }
        var keys = [String: KeyCount]()
        for (alias, usage) in series.keyUsage {
            let hour = usage.byMinute.totals(now: now)
            let day = usage.byHour.totals(now: now / 60)
            keys[alias] = KeyCount(
                requestsHour: hour.0, bytesHour: hour.1, limitedHour: hour.2,
                requestsDay: day.0, bytesDay: day.1, limitedDay: day.2,
                lastSeenMilliseconds: Int64(usage.lastSeenSeconds * 1000)
            )
        }
        return TrafficReport(
            minutes: minutes,
            hour: Totals(
                requests: totals.requests, clientErrors: totals.client, serverErrors: totals.server,
                p50Milliseconds: LatencyHistogram.quantile(0.5, counts: hourLatency),
                p99Milliseconds: LatencyHistogram.quantile(0.99, counts: hourLatency)
            ),
            topRoutes: Array(routes.prefix(10)),
            keys: keys
        )
    }
}
