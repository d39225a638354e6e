import Foundation
import Logging

/// Parsers of option values written as text, the same for a flag, an environment variable, a config-file value and a
/// declared default. A refusal completes the sentence "`<option>` ...".
enum OptionValue {
    static func text(_ text: String) -> String { text }

    static func path(_ text: String) -> URL { URL(fileURLWithPath: text) }

    static func port(_ text: String) throws(ServeOption.Refusal) -> Int {
        guard let port = Int(text), (0...65535).contains(port) else { throw .init("must be a number from 0 to 65535") }
        return port
    }

    static func bool(_ text: String) throws(ServeOption.Refusal) -> Bool {
        switch text.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw .init("must be true or false")
        }
    }

    /// A whole number of at least `minimum`.
    static func count(minimum: Int) -> @Sendable (String) throws(ServeOption.Refusal) -> Int {
        { text throws(ServeOption.Refusal) in
            guard let number = Int(text), number >= minimum else { throw .init("must be at least \(minimum)") }
            return number
        }
    }

    /// Whole seconds, at least `minimum`.
    static func seconds(minimum: Int) -> @Sendable (String) throws(ServeOption.Refusal) -> Duration {
        { text throws(ServeOption.Refusal) in .seconds(try count(minimum: minimum)(text)) }
    }

    /// Seconds (`300`, `2.5`) or a number with a unit: `500ms`, `90s`, `5m`, `1h`.
    static func duration(_ text: String) throws(ServeOption.Refusal) -> Duration {
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
            throw .init("must be a duration such as 300, 90s, 5m or 1h")
        }
        return .milliseconds(Int64((value * scale * 1000).rounded()))
    }

    /// A duration (as `duration` reads it) from `lower` to `upper`.
    static func duration(from lower: Duration, to upper: Duration) -> @Sendable (String) throws(ServeOption.Refusal) -> Duration {
        { text throws(ServeOption.Refusal) in
            let value = try duration(text)
            guard value >= lower, value <= upper else { throw .init("must be from \(secondsText(lower)) to \(secondsText(upper))") }
            return value
        }
    }

    /// A `postgres://user[:password]@host[:port]/database` URL.
    static func database(_ text: String) throws(ServeOption.Refusal) -> DatabaseURL? {
        guard let url = DatabaseURL(text) else { throw .init("must be a URL such as postgres://user@host:5432/database") }
        return url
    }

    static func rate(_ text: String) throws(ServeOption.Refusal) -> RateSpec {
        guard let spec = RateSpec(parsing: text) else { throw .init("must be N/s, N/min or N/h") }
        return spec
    }

    /// A comma-separated list of at least one network.
    static func networks(_ text: String) throws(ServeOption.Refusal) -> [CIDR] {
        let networks: [CIDR]
        do { networks = try CIDR.parseList(text) } catch { throw .init("must list networks: \(error.description)") }
        if networks.isEmpty { throw .init("needs at least one network") }
        return networks
    }

    static func logFormat(_ text: String) throws(ServeOption.Refusal) -> LogFormat {
        guard let format = LogFormat(rawValue: text.lowercased()) else { throw .init("must be text or json") }
        return format
    }

    static func logLevel(_ text: String) throws(ServeOption.Refusal) -> Logger.Level {
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw .init("must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return level
    }

    /// `300s`, `2.5s`: how `config check` shows a duration.
    static func secondsText(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return value == value.rounded() ? "\(Int(value))s" : "\(value)s"
    }
}
