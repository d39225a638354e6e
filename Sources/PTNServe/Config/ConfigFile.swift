import Foundation
import Yams

/// A `--config` file: a YAML or JSON mapping of `serve` option names to values, e.g. `port: 48888`.
///
/// Read with Yams (JSON is YAML), rather than swift-configuration: the options keep their flag names in the file and
/// their `PTN_SERVE_*` environment names, and the whole layering is a few lines (`ConfigLayers`, `ServeConfiguration.resolve`).
package struct ConfigFile: Sendable, Equatable {
    /// Values by option name (`data-dir`, `metrics-port`, ...), as text; `ServeConfiguration.resolve` validates them.
    package let values: [String: String]

    /// Why a config file was refused.
    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    /// Parses file contents. Unknown options are refused, so that a typo does not silently fall back to a default.
    package static func parse(_ text: String) throws(Failure) -> ConfigFile {
        let loaded: Any?
        do {
            loaded = try Yams.load(yaml: text)
        } catch {
            throw Failure(description: "not valid YAML or JSON: \(error)")
        }
        guard let loaded else { return ConfigFile(values: [:]) }
        guard let mapping = loaded as? [String: Any] else {
            throw Failure(description: "the top level must be a mapping of option names to values, like `port: 48888`")
        }
        var values = [String: String]()
        for (rawName, rawValue) in mapping {
            // `data_dir` and `data-dir` both name the flag `--data-dir`.
            let name = rawName.replacingOccurrences(of: "_", with: "-")
            guard ServeOption.named(name) != nil else {
                let known = ServeOption.all.map(\.name).joined(separator: ", ")
                throw Failure(description: "unknown option \"\(rawName)\" (known: \(known))")
            }
            switch rawValue {
            case let value as Bool: values[name] = value ? "true" : "false"
            case let value as Int: values[name] = String(value)
            case let value as Double: values[name] = String(value)
            case let value as String: values[name] = value
            default: throw Failure(description: "option \"\(rawName)\" must be a single value, not a list or mapping")
            }
        }
        return ConfigFile(values: values)
    }

    /// Reads and parses the file at `path`.
    package static func load(path: String) throws(Failure) -> ConfigFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(description: "config file \(path) does not exist or cannot be read")
        }
        do {
            return try parse(String(decoding: data, as: UTF8.self))
        } catch {
            throw Failure(description: "config file \(path): \(error.description)")
        }
    }
}
