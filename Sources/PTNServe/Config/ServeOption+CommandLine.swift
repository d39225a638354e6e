import Foundation

extension ServeOption {
    /// A command line that does not fit the declared options.
    package struct UsageError: Error, CustomStringConvertible {
        package let description: String
    }

    /// Reads `--name VALUE`, `--name=VALUE` and `--switch` arguments against `options`; the values by option name, the
    /// last one winning when an option is repeated. Values are only checked later, by `ServeConfiguration.resolve`.
    package static func flags(in arguments: [String], options: [ServeOption]) throws(UsageError) -> [String: String] {
        var flags = [String: String]()
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            guard argument.hasPrefix("--") else { throw UsageError(description: "Unexpected argument '\(argument)'") }
            let equals = argument.firstIndex(of: "=")
            let flag = String(argument[..<(equals ?? argument.endIndex)])
            let attached = equals.map { String(argument[argument.index(after: $0)...]) }
            guard let option = options.first(where: { $0.flag == flag }) else {
                throw UsageError(description: "Unknown option '\(flag)'")
            }
            guard let valueName = option.valueName else {
                if attached != nil { throw UsageError(description: "'\(flag)' is a switch and takes no value") }
                flags[option.name] = "true"
                continue
            }
            if let attached {
                flags[option.name] = attached
            } else if let next = remaining.popFirst() {
                flags[option.name] = next
            } else {
                throw UsageError(description: "Missing value for '\(flag) \(valueName)'")
            }
        }
        return flags
    }

    /// `options` for `--help`, under their section headings: each flag with its help, environment variable (when
    /// `environment` is read) and default, where `defaults` replaces declared defaults by option name.
    package static func help(_ options: [ServeOption], defaults: [String: String] = [:], environment: Bool = true) -> String {
        // ArgumentParser rewraps help lines of 80 characters or more.
        let labelWidth = 30
        let width = 78
        return Section.allCases.compactMap { section -> String? in
            let listed = options.filter { $0.section == section }
            guard !listed.isEmpty else { return nil }
            let indent = String(repeating: " ", count: labelWidth)
            let entries = listed.map { option in
                let label = "  " + option.flag + (option.valueName.map { " " + $0 } ?? "")
                let text = wrap(option.help, width: width - labelWidth)
                    + wrap(option.originLine(default: defaults[option.name], environment: environment), width: width - labelWidth)
                // A label too wide for its column gets a line of its own.
                let head = label.count < labelWidth
                    ? [label.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + text[0]] : [label, indent + text[0]]
                return (head + text.dropFirst().map { indent + $0 }).joined(separator: "\n")
            }
            return "\(section.rawValue):\n" + entries.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }

    /// The help, the environment variable (unless `environment` is false) and the default (or `default` instead):
    /// "Port to bind. Env: PTN_SERVE_PORT. Default: 48888".
    package func helpLine(default: String? = nil, environment: Bool = true) -> String {
        "\(help) \(originLine(default: `default`, environment: environment))"
    }

    /// "Env: PTN_SERVE_PORT. Default: 48888".
    func originLine(default: String?, environment: Bool) -> String {
        (environment ? "Env: \(environmentName). " : "") + "Default: \(`default` ?? defaultDescription)"
    }

    /// Splits `text` into lines of at most `width` characters at spaces (a longer word gets a line of its own).
    private static func wrap(_ text: String, width: Int) -> [String] {
        var lines = [String]()
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        return lines + [line]
    }
}
