import Foundation
import Testing
@testable import PTNServe

@Suite("Config file and the flag > environment > file > default layering")
struct ConfigFileTests {
    @Test("YAML and JSON files name options by their flag names")
    func parses() throws {
        let yaml = try ConfigFile.parse("""
            data-dir: /srv/ptn
            port: 9000
            allow-query-key: true
            metrics_port: 0
            log-format: json
            stale-after: 15m
            """)
        #expect(yaml.values == [
            "data-dir": "/srv/ptn", "port": "9000", "allow-query-key": "true", "metrics-port": "0", "log-format": "json",
            "stale-after": "15m",
        ])
        let json = try ConfigFile.parse(#"{"host": "0.0.0.0", "usage-report-interval": 60}"#)
        #expect(json.values == ["host": "0.0.0.0", "usage-report-interval": "60"])
        #expect(try ConfigFile.parse("").values.isEmpty)
    }

    @Test("unknown options, nested values and non-mappings are refused with a reason", arguments: [
        ("prot: 48888", "unknown option \"prot\""),
        ("port: [1, 2]", "single value"),
        ("- port", "mapping"),
        ("port: {", "not valid YAML"),
    ])
    func refuses(_ text: String, _ reason: String) {
        #expect {
            _ = try ConfigFile.parse(text)
        } throws: { error in
            (error as? ConfigFile.Failure)?.description.contains(reason) == true
        }
    }

    @Test("a flag beats the environment, which beats the file, which beats the default")
    func precedence() throws {
        let file = try ConfigFile.parse("port: 1000\nhost: 10.0.0.1\nmetrics-port: 2000\nstale-after: 90s\ndata-dir: /file")
        let layers = ConfigLayers(
            flags: ["port": "3000"],
            environment: ["PTN_SERVE_PORT": "4000", "PTN_SERVE_HOST": "10.0.0.2", "PTN_SERVE_LOG_FORMAT": "json", "PTN_SERVE_LOG_LEVEL": "Notice"],
            file: file
        )
        let config = try ServeConfiguration.resolve(layers)
        #expect(config.port == 3000)
        #expect(config.host == "10.0.0.2")
        #expect(config.metricsPort == 2000)
        #expect(config.staleAfter == .seconds(90))
        #expect(config.logFormat == .json)
        #expect(config.logLevel == .notice)
        #expect(config.dataRoot.path == "/file")
        #expect(config.apiKeysFile.path == "/file/ptn_api/api_keys.json")
        #expect(config.metricsHost == "127.0.0.1")
        #expect(config.usageReportInterval == .seconds(300))
        let described = config.describe(layers)
        #expect(described.contains("port: 3000  (flag)"))
        #expect(described.contains("host: 10.0.0.2  (environment)"))
        #expect(described.contains("metrics-port: 2000  (file)"))
        #expect(described.contains("usage-report-interval: 300s  (default)"))
        #expect(described.contains("log-level: notice  (environment)"))
        #expect(described.contains("api-keys: /file/ptn_api/api_keys.json  (default)"))
    }

    @Test("bad values are refused naming the option", arguments: [
        ("port", "70000"), ("metrics-port", "x"), ("log-format", "xml"), ("log-level", "loud"), ("stale-after", "soon"), ("allow-query-key", "maybe"),
    ])
    func badValues(_ option: String, _ value: String) {
        #expect {
            _ = try ServeConfiguration.resolve(ConfigLayers(flags: [option: value]))
        } throws: { error in
            (error as? ServeConfiguration.Invalid)?.description.hasPrefix(option) == true
        }
    }

    @Test("durations take seconds or a unit")
    func durations() throws {
        #expect(try OptionValue.duration("300") == .seconds(300))
        #expect(try OptionValue.duration("2.5") == .milliseconds(2500))
        #expect(try OptionValue.duration("500ms") == .milliseconds(500))
        #expect(try OptionValue.duration("5m") == .seconds(300))
        #expect(try OptionValue.duration("1h") == .seconds(3600))
        #expect(try OptionValue.duration("0") == .zero)
    }

    @Test("the security options layer like the others; bad ones are refused naming the option")
    func securityOptions() throws {
        let file = try ConfigFile.parse("""
            rate-limit: 120/min
            allow-from: 10.0.0.0/8,::1/128
            max-connections: 50
            trust-proxy: true
            """)
        let layers = ConfigLayers(flags: ["max-connections": "70"], environment: ["PTN_SERVE_IP_RATE_LIMIT": "5/s"], file: file)
        let security = try ServeConfiguration.resolve(layers).security
        #expect(security.rateLimits.keyRate == RateSpec(count: 120, periodSeconds: 60))
        #expect(security.rateLimits.addressRate == RateSpec(count: 5, periodSeconds: 1))
        #expect(security.rateLimits.trustProxy)
        #expect(security.allowFrom.count == 2)
        #expect(security.maxConnections == 70)
        #expect(try ServeConfiguration.resolve(ConfigLayers()).security.rateLimits.keyRate == RateSpec(count: 600, periodSeconds: 60))
        for (option, value) in [("rate-limit", "fast"), ("allow-from", "10.0.0.0/99"), ("tls-cert", "x.pem"), ("idle-timeout", "0")] {
            #expect(throws: ServeConfiguration.Invalid.self, "\(option)") {
                try ServeConfiguration.resolve(ConfigLayers(file: try ConfigFile.parse("\(option): \(value)")))
            }
        }
    }
}
