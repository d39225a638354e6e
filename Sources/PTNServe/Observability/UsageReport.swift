import Foundation

/// One window's usage: requests per alias, latency per route, failures per alias/route/status.
package struct UsageReport: Sendable, Equatable {
    /// One route's latency summary, in milliseconds.
    package struct RouteLatency: Sendable, Equatable {
        package let route: String
        package let count: Int
        package let meanMilliseconds: Double
        package let p50Milliseconds: Double
        package let p99Milliseconds: Double
    }

    /// One failure group.
    package struct Failure: Sendable, Equatable {
        package let alias: String
        package let route: String
        package let status: Int
        package let count: Int
    }

    /// Window length in seconds.
    package let windowSeconds: Double
    /// Requests per key alias (`unknown` for none or an unknown key), by alias.
    package let requestsByAlias: [(alias: String, count: Int)]
    /// Per route, busiest first.
    package let routes: [RouteLatency]
    /// Failure groups, largest first.
    package let failures: [Failure]

    package var totalRequests: Int { requestsByAlias.reduce(0) { $0 + $1.count } }

    init(window: UsageWindow, ended: Date) {
        windowSeconds = max(0, ended.timeIntervalSince(window.started))
        requestsByAlias = window.requestsByAlias.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        routes = window.routes.map { route, samples in
            let sorted = samples.samples.sorted()
            return RouteLatency(
                route: route,
                count: samples.count,
                meanMilliseconds: samples.count == 0 ? 0 : samples.totalMilliseconds / Double(samples.count),
                p50Milliseconds: Self.percentile(sorted, 0.50),
                p99Milliseconds: Self.percentile(sorted, 0.99)
            )
        }.sorted { ($0.count, $1.route) > ($1.count, $0.route) }
        failures = window.failures.map { Failure(alias: $0.key.alias, route: $0.key.route, status: $0.key.status, count: $0.value) }
            .sorted { ($0.count, $1.alias, $1.route, $1.status) > ($1.count, $0.alias, $0.route, $0.status) }
    }

    /// Nearest-rank percentile of sorted samples.
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    /// The report as log lines: a header, then one line per alias, route and failure group.
    package var lines: [String] {
        var lines = ["usage report: \(totalRequests) requests in the last \(Int(windowSeconds.rounded())) s"]
        for (alias, count) in requestsByAlias { lines.append("usage alias=\(alias) requests=\(count)") }
        for route in routes {
            lines.append(
                "usage route=\(route.route) count=\(route.count) mean_ms=\(Self.format(route.meanMilliseconds)) "
                    + "p50_ms=\(Self.format(route.p50Milliseconds)) p99_ms=\(Self.format(route.p99Milliseconds))"
            )
        }
        for failure in failures {
            lines.append(
                "usage failures alias=\(failure.alias) route=\(failure.route) status=\(failure.status) "
                    + "(\(Self.describe(failure.status))) count=\(failure.count)"
            )
        }
        return lines
    }

    /// PTN's short descriptions of failure statuses.
    static func describe(_ status: Int) -> String {
        switch status {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden/Insufficient Tier"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 413: "Payload Too Large"
        case 429: "Rate Limited"
        case 500...: "Server Error"
        default: "Client Error"
        }
    }

    private static func format(_ value: Double) -> String { String(format: "%.3f", value) }

    package static func == (a: UsageReport, b: UsageReport) -> Bool {
        a.lines == b.lines
    }
}
