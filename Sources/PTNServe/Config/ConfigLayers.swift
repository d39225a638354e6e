/// Where a `serve` setting comes from, consulted in the order flag > environment > config file > default.
public struct ConfigLayers: Sendable {
    /// Every option a config file may hold: the `serve` flag names without their dashes.
    public static let options = [
        "data-dir", "api-keys", "routes", "profile", "host", "port", "allow-query-key",
        // Operations (issue 5).
        "metrics-host", "metrics-port", "log-format", "log-level", "usage-report-interval", "stale-after",
    ] + SecurityConfiguration.options

    /// Which layer a value came from.
    public enum Source: String, Sendable {
        case flag, environment, file, `default`
    }

    /// Flag values given on the command line, by option name.
    public let flags: [String: String]
    /// The process environment.
    public let environment: [String: String]
    /// The `--config` file, if any.
    public let file: ConfigFile?

    public init(flags: [String: String] = [:], environment: [String: String] = [:], file: ConfigFile? = nil) {
        self.flags = flags
        self.environment = environment
        self.file = file
    }

    /// `PTN_SERVE_` and the option name in upper snake case: `metrics-port` → `PTN_SERVE_METRICS_PORT`.
    public static func environmentName(_ option: String) -> String {
        "PTN_SERVE_" + option.uppercased().replacingOccurrences(of: "-", with: "_")
    }

    /// The option's value from the highest layer that sets it, or nil for the default.
    public func value(_ option: String) -> (value: String, source: Source)? {
        if let value = flags[option] { return (value, .flag) }
        if let value = environment[Self.environmentName(option)], !value.isEmpty { return (value, .environment) }
        if let value = file?.values[option] { return (value, .file) }
        return nil
    }
}
