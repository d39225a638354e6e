/// Where a `serve` setting comes from, consulted in the order flag > environment > config file > default.
package struct ConfigLayers: Sendable {
    /// Which layer a value came from.
    package enum Source: String, Sendable {
        case flag, environment, file, `default`
    }

    /// Flag values given on the command line, by option name.
    package let flags: [String: String]
    /// The process environment.
    package let environment: [String: String]
    /// The `--config` file, if any.
    package let file: ConfigFile?
    /// Defaults of one command that differ from the declared ones, by option name (`demo` runs no metrics listener).
    package let defaults: [String: String]

    package init(
        flags: [String: String] = [:], environment: [String: String] = [:], file: ConfigFile? = nil, defaults: [String: String] = [:]
    ) {
        self.flags = flags
        self.environment = environment
        self.file = file
        self.defaults = defaults
    }

    /// The option's value from the highest layer that sets it, or nil when the declared default applies.
    package func value(_ option: ServeOption) -> (value: String, source: Source)? {
        if let value = flags[option.name] { return (value, .flag) }
        if let value = environment[option.environmentName], !value.isEmpty { return (value, .environment) }
        if let value = file?.values[option.name] { return (value, .file) }
        if let value = defaults[option.name] { return (value, .default) }
        return nil
    }

    /// The layers of a `serve` start: `flags` from the command line (`config` among them, perhaps), the environment,
    /// and the file that `--config` or `PTN_SERVE_CONFIG` names.
    package static func load(flags: [String: String], environment: [String: String]) throws(ConfigFile.Failure) -> ConfigLayers {
        var flags = flags
        let path = flags.removeValue(forKey: ServeOption.config.name) ?? environment[ServeOption.config.environmentName]
        var file: ConfigFile?
        if let path, !path.isEmpty { file = try ConfigFile.load(path: path) }
        return ConfigLayers(flags: flags, environment: environment, file: file)
    }
}
