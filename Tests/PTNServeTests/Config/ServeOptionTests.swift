import Foundation
import Testing
@testable import PTNServe

@Suite("Serve options: one declaration each, layered once")
struct ServeOptionTests {
    @Test("names, flags and environment variables are unique, and follow the naming rule")
    func naming() {
        let options = ServeOption.all + [ServeOption.config]
        #expect(Set(options.map(\.name)).count == options.count)
        #expect(Set(options.map(\.environmentName)).count == options.count)
        #expect(ServeOption.named("metrics-port")?.environmentName == "PTN_SERVE_METRICS_PORT")
        #expect(ServeOption.named("allow-query-key")?.flag == "--allow-query-key")
        #expect(ServeOption.named("config") == nil, "a config file cannot name another")
    }

    @Test("each declared default is what a configuration starts with, and parses like a value given by hand")
    func defaultsAreTheInitialValues() throws {
        let initial = try ServeConfiguration.resolve(ConfigLayers())
        for option in ServeOption.all {
            guard case .value(let text) = option.default else { continue }
            let given = try ServeConfiguration.resolve(ConfigLayers(flags: [option.name: text]))
            #expect(option.show(given) == option.show(initial), "\(option.flag) \(text)")
        }
        let direct = ServeConfiguration(dataDir: "/srv/ptn")
        #expect(direct.port == 48888 && direct.host == "127.0.0.1" && direct.metricsPort == 9488 && direct.profile == "ptn")
        #expect(direct.security.rateLimits.keyRate == RateSpec(count: 600, periodSeconds: 60))
        #expect(direct.security.maxConnections == 1000 && direct.security.idleTimeout == .seconds(60))
        #expect(direct.usageReportInterval == .seconds(300) && direct.staleAfter == .seconds(600))
        #expect(direct.usageFlushInterval == .seconds(2))
        #expect(direct.routesFile == nil && direct.apiKeys == nil && direct.security.tls == nil)
    }

    @Test("each layer wins over the one before it: default < file < environment < flag", arguments: [
        ("port", "1001", "1002", "1003"),
        ("rate-limit", "5/s", "6/min", "7/h"),
        ("stale-after", "90s", "2m", "1h"),
        ("usage-flush-interval", "500ms", "1s", "5s"),
        ("profile", "vanta", "mine", "theirs"),
        ("routes", "/etc/file.yaml", "/etc/environment.yaml", "/etc/flag.yaml"),
        ("trust-proxy", "true", "false", "true"),
    ])
    func layering(_ name: String, _ inFile: String, _ inEnvironment: String, _ asFlag: String) throws {
        let option = try #require(ServeOption.named(name))
        let file = try ConfigFile.parse("\(name): \(inFile)")
        let environment = [option.environmentName: inEnvironment]
        let steps: [(ConfigLayers, String?, ConfigLayers.Source)] = [
            (ConfigLayers(), nil, .default),
            (ConfigLayers(file: file), inFile, .file),
            (ConfigLayers(environment: environment, file: file), inEnvironment, .environment),
            (ConfigLayers(flags: [name: asFlag], environment: environment, file: file), asFlag, .flag),
        ]
        var shown = [String]()
        for (layers, text, source) in steps {
            let config = try ServeConfiguration.resolve(layers)
            let expected = try ServeConfiguration.resolve(ConfigLayers(flags: text.map { [name: $0] } ?? [:]))
            #expect(option.show(config) == option.show(expected), "\(name) from \(source)")
            #expect(config.describe(layers).contains("\(name): \(option.show(config))  (\(source.rawValue))"))
            shown.append(option.show(config))
        }
        // Each layer changed the value, so a layer that was ignored would have shown.
        #expect(zip(shown, shown.dropFirst()).allSatisfy { $0 != $1 }, "\(shown)")
    }

    @Test("the route file and profile options land in the configuration and in config check")
    func routesAndProfile() throws {
        let defaults = ServeConfiguration()
        #expect(defaults.profile == "ptn")
        #expect(defaults.routesFile == nil)
        let described = defaults.describe(ConfigLayers())
        #expect(described.contains("profile: ptn  (default)"))
        #expect(described.contains("routes: none (the profile's routes)  (default)"))

        let layers = ConfigLayers(environment: ["PTN_SERVE_PROFILE": "vanta"], file: try ConfigFile.parse("routes: /etc/ptn-serve/routes.yaml"))
        let config = try ServeConfiguration.resolve(layers)
        #expect(config.profile == "vanta")
        #expect(config.routesFile?.path == "/etc/ptn-serve/routes.yaml")
        #expect(config.describe(layers).contains("profile: vanta  (environment)"))
        #expect(config.describe(layers).contains("routes: /etc/ptn-serve/routes.yaml  (file)"))
    }

    @Test("the key file is --api-keys when given, else the data root's default key file, following the data root")
    func keyFile() throws {
        var config = try ServeConfiguration.resolve(ConfigLayers(flags: ["data-dir": "/srv/ptn"]))
        #expect(config.apiKeys == nil)
        #expect(config.apiKeysFile.path == "/srv/ptn/ptn_api/api_keys.json")
        config.dataRoot = URL(fileURLWithPath: "/srv/other")
        #expect(config.apiKeysFile.path == "/srv/other/ptn_api/api_keys.json")
        config = try ServeConfiguration.resolve(ConfigLayers(environment: ["PTN_SERVE_API_KEYS": "/etc/keys.json"]))
        #expect(config.apiKeysFile.path == "/etc/keys.json")
        #expect(config.describe(ConfigLayers(environment: ["PTN_SERVE_API_KEYS": "/etc/keys.json"])).contains("api-keys: /etc/keys.json  (environment)"))
    }

    @Test("a refused value names the option, the value and the layer it came from")
    func refusalsNameTheirSource() {
        let cases: [(ConfigLayers, String)] = [
            (ConfigLayers(flags: ["port": "x"]), "port must be a number from 0 to 65535, got x (from --port)"),
            (ConfigLayers(environment: ["PTN_SERVE_RATE_LIMIT": "fast"]), "rate-limit must be N/s, N/min or N/h, got fast (from PTN_SERVE_RATE_LIMIT)"),
            (ConfigLayers(file: try? ConfigFile.parse("idle-timeout: 0")), "idle-timeout must be at least 1, got 0 (from the config file)"),
            (ConfigLayers(flags: ["allow-from": ""]), "allow-from needs at least one network, got an empty value (from --allow-from)"),
            (ConfigLayers(flags: ["tls-key": "k.pem"]), "--tls-cert and --tls-key go together"),
        ]
        for (layers, message) in cases {
            #expect {
                _ = try ServeConfiguration.resolve(layers)
            } throws: { error in
                (error as? ServeConfiguration.Invalid)?.description == message
            }
        }
    }

    @Test("command lines: --name VALUE, --name=VALUE, switches, the last of a repeated option")
    func commandLine() throws {
        let flags = try ServeOption.flags(
            in: ["--port", "80", "--host=0.0.0.0", "--allow-query-key", "--routes", "r.yaml", "--port=81", "--config", "c.yaml"],
            options: ServeOption.all + [ServeOption.config]
        )
        #expect(flags == ["port": "81", "host": "0.0.0.0", "allow-query-key": "true", "routes": "r.yaml", "config": "c.yaml"])
        #expect(try ServeOption.flags(in: ["--tls-cert="], options: ServeOption.all) == ["tls-cert": ""])
    }

    @Test("a command line that does not fit is refused saying why", arguments: [
        (["--prot", "80"], "Unknown option '--prot'"),
        (["--port"], "Missing value for '--port N'"),
        (["--trust-proxy=yes"], "'--trust-proxy' is a switch and takes no value"),
        (["80"], "Unexpected argument '80'"),
        (["--config", "c.yaml"], "Unknown option '--config'"),
    ])
    func badCommandLines(_ arguments: [String], _ message: String) {
        #expect {
            _ = try ServeOption.flags(in: arguments, options: ServeOption.all)
        } throws: { error in
            (error as? ServeOption.UsageError)?.description == message
        }
    }

    @Test("help lists every option with its help, environment variable and default, under its section")
    func help() {
        let help = ServeOption.help(ServeOption.all + [ServeOption.config])
        let flat = help.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for option in ServeOption.all + [ServeOption.config] {
            #expect(help.contains("  " + option.flag + (option.valueName.map { " " + $0 } ?? "")), "\(option.flag)")
            #expect(flat.contains(option.helpLine()), "\(option.flag)")
        }
        #expect(help.hasPrefix("Serving:\n  --data-dir DIR"))
        #expect(help.contains("\n\nSecurity:\n") && help.contains("\n\nOperations:\n"))
        #expect(help.split(separator: "\n").allSatisfy { $0.count < 80 }, "ArgumentParser rewraps longer lines")
        #expect(flat.contains("Port to bind. Env: PTN_SERVE_PORT. Default: 48888"))
        #expect(flat.contains("Default: off"), "a switch is off by default")
        let demo = ServeOption.help(ServeOption.all, defaults: ["metrics-port": "0"], environment: false)
        #expect(!demo.contains("PTN_SERVE_"))
        #expect(demo.split(whereSeparator: \.isWhitespace).joined(separator: " ").contains("0 for none. Default: 0"))
    }

    @Test("the README's option tables agree with the declarations")
    func readme() throws {
        let readme = try String(contentsOf: TestDataRoot.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        var rows = 0
        for line in readme.split(separator: "\n") where line.hasPrefix("| `--") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "`", with: "") }
            let flag = String(cells[0].split(separator: " ")[0])
            guard let option = (ServeOption.all + [ServeOption.config]).first(where: { $0.flag == flag }) else { continue }
            rows += 1
            let environment = cells.first { $0.hasPrefix("PTN_SERVE_") }
            #expect(environment == nil || environment == option.environmentName, "\(flag)")
            // The README may shorten "none (plain HTTP)" to "none".
            #expect(cells.contains(option.defaultDescription) || cells.contains(option.defaultDescription.components(separatedBy: " (")[0]), "\(flag)")
        }
        #expect(rows >= 15)
    }

    @Test("the usage flush interval is refused outside 500 ms to 5 s, saying so")
    func usageFlushBounds() throws {
        for text in ["0", "100ms", "6s", "1m"] {
            #expect(throws: (any Error).self, "\(text)") { try ServeConfiguration.resolve(ConfigLayers(flags: ["usage-flush-interval": text])) }
        }
        let option = try #require(ServeOption.named("usage-flush-interval"))
        #expect(option.environmentName == "PTN_SERVE_USAGE_FLUSH_INTERVAL")
        #expect(try ServeConfiguration.resolve(ConfigLayers(flags: ["usage-flush-interval": "5s"])).usageFlushInterval == .seconds(5))
    }
}
