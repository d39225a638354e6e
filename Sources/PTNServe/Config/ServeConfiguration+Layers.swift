import Foundation
import Logging

extension ServeConfiguration {
    /// Why the layered settings do not make a configuration.
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// Resolves every setting from `layers` (flag > environment > file > default) and validates it.
    public static func resolve(_ layers: ConfigLayers) throws(Invalid) -> ServeConfiguration {
        func text(_ option: String) -> String? { layers.value(option)?.value }
        var config = ServeConfiguration(
            dataDir: text("data-dir") ?? "../proprietary-trading-network",
            apiKeysFile: text("api-keys"),
            host: text("host") ?? "127.0.0.1",
            port: try port("port", text("port")) ?? 48888,
            allowQueryKey: try bool("allow-query-key", text("allow-query-key")) ?? false
        )
        config.routesFile = text("routes").map { URL(fileURLWithPath: $0) }
        config.profile = text("profile") ?? config.profile
        config.metricsHost = text("metrics-host") ?? config.metricsHost
        config.metricsPort = try port("metrics-port", text("metrics-port")) ?? config.metricsPort
        if let format = text("log-format") {
            guard let parsed = LogFormat(rawValue: format.lowercased()) else {
                throw Invalid(description: "log-format must be text or json, got \(format)")
            }
            config.logFormat = parsed
        }
        if let level = text("log-level") {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
                throw Invalid(description: "log-level must be one of \(levels), got \(level)")
            }
            config.logLevel = parsed
        }
        config.usageReportInterval = try duration("usage-report-interval", text("usage-report-interval")) ?? config.usageReportInterval
        config.staleAfter = try duration("stale-after", text("stale-after")) ?? config.staleAfter
        config.security = try SecurityConfiguration.resolve(layers)
        return config
    }

    private static func port(_ option: String, _ text: String?) throws(Invalid) -> Int? {
        guard let text else { return nil }
        guard let port = Int(text), (0...65535).contains(port) else {
            throw Invalid(description: "\(option) must be a number from 0 to 65535, got \(text)")
        }
        return port
    }

    private static func bool(_ option: String, _ text: String?) throws(Invalid) -> Bool? {
        guard let text else { return nil }
        switch text.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw Invalid(description: "\(option) must be true or false, got \(text)")
        }
    }

    /// Seconds (`300`, `2.5`) or a number with a unit: `500ms`, `90s`, `5m`, `1h`.
    static func duration(_ option: String, _ text: String?) throws(Invalid) -> Duration? {
        guard let text else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        var number = trimmed
        var scale = 1.0
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            number = String(trimmed.dropLast(unit.suffix.count))
            scale = unit.seconds
            break
        }
        guard let value = Double(number.trimmingCharacters(in: .whitespaces)), value >= 0, value.isFinite else {
            throw Invalid(description: "\(option) must be a duration such as 300, 90s, 5m or 1h, got \(text)")
        }
        return .milliseconds(Int64((value * scale * 1000).rounded()))
    }

    /// The effective settings, one `option: value  (source)` line each, for `ptn-serve config check`. Operator-facing:
    /// it names the key file's path, but never a key (the configuration holds none).
    public func describe(_ layers: ConfigLayers) -> String {
        func seconds(_ duration: Duration) -> String {
            let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
            return value == value.rounded() ? "\(Int(value))s" : "\(value)s"
        }
        let rows: [(String, String)] = [
            ("data-dir", dataRoot.path),
            ("api-keys", ((try? routeTable()).map { keyFile(for: $0) } ?? apiKeysFile)?.path ?? "none"),
            ("routes", routesFile?.path ?? "none (the profile's table)"),
            ("profile", profile),
            ("host", host),
            ("port", String(port)),
            ("allow-query-key", String(allowQueryKey)),
            ("metrics-host", metricsHost),
            ("metrics-port", metricsPort == 0 ? "0 (off)" : String(metricsPort)),
            ("log-format", logFormat.rawValue),
            ("log-level", logLevel.rawValue),
            ("usage-report-interval", usageReportInterval == .zero ? "0 (off)" : seconds(usageReportInterval)),
            ("stale-after", seconds(staleAfter)),
            ("rate-limit", security.rateLimits.keyRate.description),
            ("ip-rate-limit", security.rateLimits.addressRate.description),
            ("trust-proxy", String(security.rateLimits.trustProxy)),
            ("tls-cert", security.tls?.certificatePath ?? "none (plain HTTP)"),
            ("tls-key", security.tls?.privateKeyPath ?? "none"),
            ("allow-from", security.allowFrom.isEmpty ? "everyone" : security.allowFrom.map { "\($0)" }.joined(separator: ",")),
            ("max-connections", String(security.maxConnections)),
            ("idle-timeout", seconds(security.idleTimeout)),
            ("read-timeout", seconds(security.readTimeout)),
            ("shutdown-deadline", seconds(security.shutdownDeadline)),
        ]
        return rows.map { name, value in
            "\(name): \(value)  (\((layers.value(name)?.source ?? .default).rawValue))"
        }.joined(separator: "\n")
    }
}
