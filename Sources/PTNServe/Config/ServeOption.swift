import Foundation

/// One `serve` option, declared once (the table is `ServeOption.all`): its name gives the flag (`--metrics-port`), the
/// environment variable (`PTN_SERVE_METRICS_PORT`) and the config-file key (`metrics-port`); with it come the default,
/// the help text, and how a value written as text lands in a `ServeConfiguration`.
package struct ServeOption: Sendable {
    /// The flag without its dashes, which is also the config-file key.
    package let name: String
    /// How the value is shown in help (`N`, `FILE`); nil for a switch, a flag without a value that turns a setting on.
    package let valueName: String?
    /// The value used when no layer sets the option.
    package let `default`: Default
    /// One or two sentences for `--help`.
    package let help: String
    /// The heading the option is listed under in `--help`.
    package let section: Section
    /// The `ServeConfiguration` property the option sets; the property takes its default from here.
    let keyPath: any AnyKeyPath & Sendable
    /// Parses a value (flag, environment or file) into its setting, without storing it.
    let parse: @Sendable (String) throws(Refusal) -> any Sendable
    /// Parses a value and stores it in a configuration.
    let apply: @Sendable (inout ServeConfiguration, String) throws(Refusal) -> Void
    /// The effective setting, for `ptn-serve config check`.
    let show: @Sendable (ServeConfiguration) -> String

    /// An option's default.
    package enum Default: Sendable, Equatable {
        /// A value written as a user would write it (`48888`, `5m`, `600/min`), parsed like one.
        case value(String)
        /// No value; the text says what that means (`none (plain HTTP)`, `everyone`).
        case unset(String)
    }

    /// The headings of `--help`.
    package enum Section: String, Sendable, CaseIterable {
        case serving = "Serving"
        case security = "Security"
        case operations = "Operations"
        case changes = "Live changes"
    }

    /// Why a value was refused, completing "`<option>` ...": "must be a number from 0 to 65535".
    package struct Refusal: Error, CustomStringConvertible {
        package let description: String
        package init(_ description: String) { self.description = description }
    }

    /// Declares an option that sets `keyPath` to the value `parse` makes of the given text.
    init<Value: Sendable>(
        _ name: String,
        _ valueName: String?,
        default: Default,
        section: Section,
        help: String,
        sets keyPath: WritableKeyPath<ServeConfiguration, Value> & Sendable,
        parse: @escaping @Sendable (String) throws(Refusal) -> Value,
        show: @escaping @Sendable (Value) -> String,
        showEffective: (@Sendable (ServeConfiguration) -> String)? = nil
    ) {
        self.name = name
        self.valueName = valueName
        self.default = `default`
        self.help = help
        self.section = section
        self.keyPath = keyPath
        self.parse = { text throws(Refusal) in try parse(text) }
        self.apply = { config, text throws(Refusal) in config[keyPath: keyPath] = try parse(text) }
        // An unset value shows as what being unset means: `everyone`, `none (plain HTTP)`.
        let unset: String? = if case .unset(let meaning) = `default` { meaning } else { nil }
        self.show = showEffective ?? { config in
            let shown = show(config[keyPath: keyPath])
            return shown.isEmpty ? unset ?? "" : shown
        }
    }

    /// Declares a switch: `--name` turns `keyPath` on; the environment and the file may say true or false.
    static func onOff(
        _ name: String, section: Section, help: String, sets keyPath: WritableKeyPath<ServeConfiguration, Bool> & Sendable
    ) -> ServeOption {
        ServeOption(
            name, nil, default: .value("false"), section: section, help: help, sets: keyPath, parse: OptionValue.bool,
            show: { String($0) }
        )
    }

    /// Declares an option that chooses where the other options come from rather than setting one (`--config`).
    init(layer name: String, _ valueName: String, section: Section, help: String) {
        self.name = name
        self.valueName = valueName
        self.default = .unset("none")
        self.help = help
        self.section = section
        self.keyPath = \ServeConfiguration.self
        self.parse = { text in text }
        self.apply = { _, _ in }
        self.show = { _ in "" }
    }

    /// `--name`.
    package var flag: String { "--" + name }

    /// `PTN_SERVE_` and the name in upper snake case: `metrics-port` → `PTN_SERVE_METRICS_PORT`.
    package var environmentName: String { "PTN_SERVE_" + name.uppercased().replacingOccurrences(of: "-", with: "_") }

    /// The default as help shows it: the value, `off` for a switch, or what being unset means.
    package var defaultDescription: String {
        switch self.default {
        case .value(let text): valueName == nil && text == "false" ? "off" : text
        case .unset(let meaning): meaning
        }
    }

    /// The declared option called `name`, if any.
    package static func named(_ name: String) -> ServeOption? { all.first { $0.name == name } }

    /// The declared default of the option that sets `keyPath`: where `ServeConfiguration` gets its initial values, so
    /// that each default is written once, in the table.
    static func defaultValue<Value>(_ keyPath: WritableKeyPath<ServeConfiguration, Value>) -> Value {
        guard let option = all.first(where: { $0.keyPath as AnyKeyPath == keyPath }), case .value(let text) = option.default else {
            fatalError("no serve option with a default value sets \(keyPath)")
        }
        do {
            guard let value = try option.parse(text) as? Value else { fatalError("--\(option.name) parses to another type") }
            return value
        } catch {
            fatalError("the default of --\(option.name), \(text), is refused: \(error)")
        }
    }
}
