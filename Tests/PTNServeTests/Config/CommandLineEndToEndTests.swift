import Foundation
import Testing
@testable import PTNServe

/// The built binary's `serve`, `demo` and `config check`, driven as an operator types them.
@Suite("End to end: options on the command line", .runsProcesses)
struct CommandLineEndToEndTests {
    @Test("serve --help lists every declared option with its environment variable and default")
    func serveHelp() async throws {
        let binary = try ServerProcess.binary().path
        let result = try await shell("COLUMNS=80 '\(binary)' serve --help", in: TestDataRoot.packageRoot)
        #expect(result.status == 0)
        let flat = result.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for option in ServeOption.all + [ServeOption.config] {
            #expect(flat.contains(option.flag + (option.valueName.map { " " + $0 } ?? "") + " " + option.helpLine()), "\(option.flag)")
        }
        #expect(result.output.contains("USAGE: ptn-serve serve"))
    }

    @Test("demo --help lists the security options, without environment variables, and its own metrics default")
    func demoHelp() async throws {
        let binary = try ServerProcess.binary().path
        let result = try await shell("COLUMNS=80 '\(binary)' demo --help", in: TestDataRoot.packageRoot)
        #expect(result.status == 0)
        let flat = result.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for option in ServeOption.all where option.section == .security {
            #expect(flat.contains(option.flag + (option.valueName.map { " " + $0 } ?? "") + " " + option.help), "\(option.flag)")
        }
        #expect(flat.contains("--metrics-port N Port of the /metrics listener and the operator console; 0 for none. Default: 48889"))
        #expect(flat.contains("--out <out>"))
        #expect(!result.output.contains("PTN_SERVE_"))
    }

    @Test("an unknown flag, a missing value or a bad value stops serve with a usage error (exit 64) saying why", arguments: [
        ("--prot 80", "Error: Unknown option '--prot'"),
        ("--port", "Error: Missing value for '--port N'"),
        ("--port x", "Error: port must be a number from 0 to 65535, got x (from --port)"),
        ("--log-level=loud", "Error: log-level must be one of trace, debug, info, notice, warning, error, critical, got loud (from --log-level)"),
        ("--config /nonexistent/ptn-serve.yaml", "Error: config file /nonexistent/ptn-serve.yaml does not exist or cannot be read"),
    ])
    func refused(_ flags: String, _ message: String) async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let binary = try ServerProcess.binary().path
        let result = try await shell("'\(binary)' serve --data-dir '\(root.url.path)' \(flags)", in: root.url)
        #expect(result.status == 64, "\(result.output)")
        #expect(result.output.contains(message), "\(result.output)")
        #expect(result.output.contains("See 'ptn-serve serve --help'"))
    }

    @Test("a bad value in the environment is refused naming the variable")
    func refusedFromEnvironment() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let binary = try ServerProcess.binary().path
        let result = try await shell("PTN_SERVE_STALE_AFTER=soon '\(binary)' serve --data-dir '\(root.url.path)'", in: root.url)
        #expect(result.status == 64)
        #expect(result.output.contains("stale-after must be a duration such as 300, 90s, 5m or 1h, got soon (from PTN_SERVE_STALE_AFTER)"))
    }

    @Test("config check shows every option, the new route options among them, with where each value came from")
    func configCheck() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let file = root.url.appendingPathComponent("config.yaml")
        try Data("data-dir: \(root.url.path)\nroutes: \(ExampleSubnet.routeFile.path)\nport: 9000\n".utf8).write(to: file)
        let binary = try ServerProcess.binary().path
        let result = try await shell("PTN_SERVE_PROFILE=vanta PTN_SERVE_PORT=9001 '\(binary)' config check '\(file.path)'", in: root.url)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("profile: vanta  (environment)"))
        #expect(result.output.contains("routes: \(ExampleSubnet.routeFile.path)  (file)"))
        #expect(result.output.contains("profile forecast-subnet: 6 routes, 3 files"))
        #expect(result.output.contains("port: 9001  (environment)"))
        #expect(result.output.contains("rate-limit: 600/min  (default)"))
        for option in ServeOption.all {
            #expect(result.output.contains("\n\(option.name): ") || result.output.hasPrefix("\(option.name): "), "\(option.name)")
        }
        try Data("routes: /nonexistent/routes.yaml\n".utf8).write(to: file)
        let missing = try await shell("'\(binary)' config check '\(file.path)'", in: root.url)
        #expect(missing.status == 64 && missing.output.contains("route file /nonexistent/routes.yaml does not exist"))
    }

    @Test("serve starts from flags given both ways and a config file, the flag winning")
    func serveStarts() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let port = ServerProcess.freePort()
        let file = root.url.appendingPathComponent("config.yaml")
        try Data("port: 1\nprofile: ptn\nrate-limit: 2/min\n".utf8).write(to: file)
        let server = try await ServerProcess.start(
            ["serve", "--data-dir=\(root.url.path)", "--config", file.path, "--port", "\(port)", "--trust-proxy"], port: port
        )
        defer { server.terminate() }
        let key = TestDataRoot.Key.tier100
        let served = try await shell("curl -s -i -H 'Authorization: Bearer \(key)' http://127.0.0.1:\(port)/miner-hotkeys", in: root.url)
        #expect(served.output.contains("200 OK"))
        #expect(served.output.contains("RateLimit-Limit: 2"), "the file's rate limit applies")
    }
}
