extension SecurityConfiguration {
    /// The security options a config file or `PTN_SERVE_*` variable may hold, like every other `serve` option.
    public static let options = [
        "rate-limit", "ip-rate-limit", "trust-proxy", "tls-cert", "tls-key", "allow-from", "max-connections", "idle-timeout",
        "read-timeout", "shutdown-deadline",
    ]

    /// Resolves the security settings from `layers` (flag > environment > file > default) and validates them.
    static func resolve(_ layers: ConfigLayers) throws(ServeConfiguration.Invalid) -> SecurityConfiguration {
        func text(_ option: String) -> String? { layers.value(option)?.value }
        func invalid(_ message: String) -> ServeConfiguration.Invalid { .init(description: message) }
        func rate(_ option: String, _ fallback: String) throws(ServeConfiguration.Invalid) -> RateSpec {
            let value = text(option) ?? fallback
            guard let spec = RateSpec(parsing: value) else { throw invalid("--\(option) must be N/s, N/min or N/h, got \(value)") }
            return spec
        }
        func count(_ option: String, _ fallback: Int, minimum: Int) throws(ServeConfiguration.Invalid) -> Int {
            guard let value = text(option) else { return fallback }
            guard let number = Int(value), number >= minimum else { throw invalid("--\(option) must be at least \(minimum), got \(value)") }
            return number
        }
        let trustProxy: Bool
        switch text("trust-proxy")?.lowercased() {
        case nil, "false", "0", "no", "off": trustProxy = false
        case "true", "1", "yes", "on": trustProxy = true
        case let other?: throw invalid("--trust-proxy must be true or false, got \(other)")
        }
        var tls: TLSFiles?
        switch (text("tls-cert"), text("tls-key")) {
        case (let cert?, let key?): tls = TLSFiles(certificatePath: cert, privateKeyPath: key)
        case (nil, nil): tls = nil
        default: throw invalid("--tls-cert and --tls-key go together")
        }
        var networks: [CIDR] = []
        if let allowFrom = text("allow-from") {
            do { networks = try CIDR.parseList(allowFrom) } catch { throw invalid("--allow-from: \(error)") }
            if networks.isEmpty { throw invalid("--allow-from needs at least one network") }
        }
        return SecurityConfiguration(
            rateLimits: .init(keyRate: try rate("rate-limit", "600/min"), addressRate: try rate("ip-rate-limit", "60/min"), trustProxy: trustProxy),
            tls: tls,
            allowFrom: networks,
            maxConnections: try count("max-connections", 1000, minimum: 1),
            idleTimeout: .seconds(try count("idle-timeout", 60, minimum: 1)),
            readTimeout: .seconds(try count("read-timeout", 10, minimum: 1)),
            shutdownDeadline: .seconds(try count("shutdown-deadline", 10, minimum: 0))
        )
    }
}
