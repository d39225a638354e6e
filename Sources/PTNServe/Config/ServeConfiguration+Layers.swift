import Foundation

extension ServeConfiguration {
    /// Why the layered settings do not make a configuration.
    package struct Invalid: Error, CustomStringConvertible {
        package let description: String
    }

    /// Resolves `options` (by default every one) from `layers`, each from its highest layer (flag > environment > file
    /// > default), and validates them; options left out keep their declared defaults.
    package static func resolve(_ layers: ConfigLayers, options: [ServeOption] = ServeOption.all) throws(Invalid) -> ServeConfiguration {
        var config = ServeConfiguration()
        for option in options {
            guard let (text, source) = layers.value(option) else { continue }
            do {
                try option.apply(&config, text)
            } catch {
                let given = text.isEmpty ? "an empty value" : text
                let origin = switch source {
                case .flag: option.flag
                case .environment: option.environmentName
                case .file: "the config file"
                case .default: "the default"
                }
                throw Invalid(description: "\(option.name) \(error.description), got \(given) (from \(origin))")
            }
        }
        // The one rule across options: a certificate without its key, or a key alone, serves nothing.
        if (config.security.tlsCertificatePath == nil) != (config.security.tlsPrivateKeyPath == nil) {
            throw Invalid(description: "--tls-cert and --tls-key go together")
        }
        return config
    }

    /// The effective settings, one `option: value  (source)` line each, for `ptn-serve config check`. Operator-facing:
    /// it names the key file's path, but never a key (the configuration holds none).
    package func describe(_ layers: ConfigLayers) -> String {
        ServeOption.all.map { option in
            "\(option.name): \(option.show(self))  (\((layers.value(option)?.source ?? .default).rawValue))"
        }.joined(separator: "\n")
    }
}
