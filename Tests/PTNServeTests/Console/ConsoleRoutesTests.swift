import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing
@testable import PTNServe

/// The operator console on the private listener: its page, its figures, and key changes behind the anti-forgery guard.
@Suite("Operator console")
struct ConsoleRoutesTests {
    typealias Key = TestDataRoot.Key
    /// Router tests address every request to `localhost` (the test framework sets the authority).
    static let host: HTTPFields = [:]

    /// The metrics listener's router with the console, on a test data root.
    static func router(
        _ root: TestDataRoot, traffic: TrafficRecorder = TrafficRecorder(), meter: UsageMeter? = nil, logger: Logger = quietLogger
    ) async throws -> Router<BasicRequestContext> {
        let observability = Observability()
        let store = DataStore()
        var reloader = DataReloader(root: root.url, store: store, logger: quietLogger, status: observability.fileStatus)
        await reloader.checkAll()
        let keyFile = root.url.appendingPathComponent("ptn_api/api_keys.json")
        let (keys, _) = try loadKeys(from: keyFile, logger: quietLogger)
        let sources = ConsoleSources(
            table: ptnTable, store: store, fileStatus: observability.fileStatus, staleAfter: .seconds(600), feed: nil,
            keys: keys, traffic: traffic, keyFilePath: keyFile.path, meter: meter
        )
        let console = ConsoleController(sources: sources, listenHost: "127.0.0.1", logger: logger)
        return MetricsEndpoint.router(metrics: observability.metrics, console: console) {
            (ReadinessReport.evaluate(table: ptnTable, store: store, status: observability.fileStatus, staleAfter: .seconds(600)), ptnTable, store)
        }
    }

    /// The token of a freshly loaded console page.
    static func token(_ client: some TestClientProtocol) async throws -> String {
        let page = try await client.execute(uri: "/", method: .get, headers: host).text
        let marker = #"<meta name="console-token" content=""#
        let start = try #require(page.range(of: marker)).upperBound
        return String(page[start...].prefix { $0 != "\"" })
    }

    static func change(
        _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ body: String, token: String?,
        origin: String? = "http://localhost"
    ) async throws -> TestResponse {
        var headers = host
        headers[.contentType] = "application/json"
        if let token { headers[HTTPField.Name("X-Console-Token")!] = token }
        if let origin { headers[.origin] = origin }
        return try await client.execute(uri: uri, method: method, headers: headers, body: ByteBuffer(string: body))
    }

    static func keyFile(_ root: TestDataRoot) throws -> [String: Any] {
        let data = try Data(contentsOf: root.url.appendingPathComponent("ptn_api/api_keys.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("the page is HTML with a strict CSP and a token; addressed by another name (DNS rebinding) it is refused")
    func page() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await Application(router: try await Self.router(root)).test(.router) { client in
            let page = try await client.execute(uri: "/", method: .get, headers: Self.host)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            let policy = try #require(page.headers[.contentSecurityPolicy])
            #expect(policy.contains("script-src 'self'"))
            #expect(!policy.contains("unsafe-inline"))
            #expect(page.headers[.cacheControl] == "no-store")
            #expect(!page.text.contains("<script>"), "no inline script")
            #expect(page.text.contains("console.js?v="))
            #expect(try await Self.token(client).split(separator: ".").count == 3)

        }
    }

    @Test("requests must address the listener by IP, localhost or its configured name (no DNS rebinding); Origin must be its own")
    func hostAndOrigin() {
        typealias Guard = ConsoleRequestGuard<BasicRequestContext>
        for host in ["127.0.0.1:9488", "localhost:9488", "[::1]:9488", "10.0.0.5", "validator.internal:9488"] {
            let name = Guard.hostName(host) ?? ""
            #expect(Guard.isAllowed(host: name, listenHost: "validator.internal"), "\(host)")
        }
        for host in ["attacker.example:9488", "127.0.0.1.nip.io:9488", "localhost.attacker.example"] {
            #expect(!Guard.isAllowed(host: Guard.hostName(host) ?? "", listenHost: "127.0.0.1"), "\(host)")
        }
        #expect(Guard.origin("http://127.0.0.1:9488", matchesHost: "127.0.0.1:9488"))
        #expect(!Guard.origin("http://127.0.0.1:9489", matchesHost: "127.0.0.1:9488"))
        #expect(!Guard.origin("null", matchesHost: "127.0.0.1:9488"))
        let token = ConsoleToken()
        #expect(token.isValid(token.issue()))
        #expect(!token.isValid(token.issue(now: 1_000)))
        #expect(!ConsoleToken().isValid(token.issue()), "another process's token")
    }

    @Test("the figures name files, aliases and usage, never a key or an absolute path")
    func state() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let traffic = TrafficRecorder()
        traffic.record(alias: "alice", route: "/statistics", status: 200, bytes: 1000, duration: .milliseconds(2))
        traffic.record(alias: "alice", route: "/statistics", status: 429, bytes: 50, duration: .microseconds(100))
        traffic.record(alias: "unknown", route: "/miner-positions", status: 401, bytes: 30, duration: .microseconds(100))
        try await Application(router: try await Self.router(root, traffic: traffic)).test(.router) { client in
            let response = try await client.execute(uri: "/console/state", method: .get, headers: Self.host)
            #expect(response.status == .ok)
            let text = response.text
            for key in [Key.tier100, Key.tier50, Key.tier30, Key.tier0, Key.legacy] { #expect(!text.contains(key)) }
            #expect(!text.contains(root.url.path))
            let state = try #require(try response.json() as? [String: Any])
            let files = try #require(state["files"] as? [[String: Any]])
            let positions = try #require(files.first { $0["name"] as? String == "positions" })
            #expect(positions["state"] as? String == "loaded")
            #expect(positions["paths"] as? [String] == ["validation/outputs/output.json"])
            #expect((positions["size_bytes"] as? Int ?? 0) > 0)
            #expect(files.first { $0["name"] as? String == "miner-copying" }?["state"] as? String == "missing")
            let keys = try #require(state["keys"] as? [[String: Any]])
            #expect(Set(keys.compactMap { $0["alias"] as? String }) == ["alice", "bob", "carol", "trial", "legacy", "unknown"])
            let alice = try #require(keys.first { $0["alias"] as? String == "alice" })
            #expect(alice["tier"] as? Int == 100)
            let usage = try #require(alice["usage"] as? [String: Any])
            #expect(usage["requests_hour"] as? Int == 2)
            #expect(usage["bytes_day"] as? Int == 1050)
            #expect(usage["limited_hour"] as? Int == 1)
            #expect(keys.first { $0["alias"] as? String == "unknown" }?["active"] as? Bool == false)
            let hour = try #require((state["traffic"] as? [String: Any])?["hour"] as? [String: Any])
            #expect(hour["requests"] as? Int == 3)
            #expect(hour["client_errors"] as? Int == 2)
        }
    }

    @Test("the keys view shows each key's plan: quota used and left this period from the meter, expiry, routes")
    func plans() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try root.write("ptn_api/api_keys.json", #"""
            {"alice": {"key": "k-alice-plan", "tier": 100},
             "buyer": {"key": "k-buyer-plan", "tier": 50, "quota": {"requests": 100, "bytes": "1 MB", "period": "month"},
                       "expires": "2099-01-31T00:00:00Z", "routes": ["/statistics*", "ws"]}}
            """#)
        let meter = UsageMeter()
        for _ in 0..<3 { meter.record(alias: "buyer", route: "/statistics", status: 200, bytes: 2_000) }
        meter.record(alias: "buyer", route: "/statistics", status: 429, bytes: 80)
        try await Application(router: try await Self.router(root, meter: meter)).test(.router) { client in
            let response = try await client.execute(uri: "/console/state", method: .get, headers: Self.host)
            #expect(!response.text.contains("k-buyer-plan"))
            let keys = try #require((try response.json() as? [String: Any])?["keys"] as? [[String: Any]])
            let buyer = try #require(keys.first { $0["alias"] as? String == "buyer" })
            let quota = try #require(buyer["quota"] as? [String: Any])
            #expect(quota["period"] as? String == "month")
            #expect(quota["refills_at"] as? String == KeyPlan.timeText(QuotaPeriod.month.end(containing: Date())))
            let requests = try #require(quota["requests"] as? [String: Any])
            #expect(requests["limit"] as? Int == 100 && requests["used"] as? Int == 3 && requests["remaining"] as? Int == 97)
            let bytes = try #require(quota["bytes"] as? [String: Any])
            #expect(bytes["limit"] as? Int == 1_000_000 && bytes["used"] as? Int == 6_080 && bytes["remaining"] as? Int == 993_920)
            #expect(buyer["expires"] as? String == "2099-01-31T00:00:00Z")
            #expect(buyer["routes"] as? [String] == ["/statistics*", "ws"])
            // A key without a plan has none of these.
            let alice = try #require(keys.first { $0["alias"] as? String == "alice" })
            #expect(alice["quota"] == nil && alice["expires"] == nil && alice["routes"] == nil)
        }
    }

    @Test("a file whose new version is refused shows as failing, with the reason and no path, while the last good one is served")
    func failingFile() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let observability = Observability()
        let store = DataStore()
        var reloader = DataReloader(root: root.url, store: store, logger: quietLogger, status: observability.fileStatus)
        await reloader.checkAll()
        try root.write("runnable/minerstatistics.json", #"{"data": [ {"hotkey": "#)
        await reloader.checkAll()
        let keyFile = root.url.appendingPathComponent("ptn_api/api_keys.json")
        let sources = ConsoleSources(
            table: ptnTable, store: store, fileStatus: observability.fileStatus, staleAfter: .seconds(600), feed: nil,
            keys: try loadKeys(from: keyFile, logger: quietLogger).0, traffic: TrafficRecorder(), keyFilePath: keyFile.path
        )
        let report = await ConsoleReport.make(sources)
        let statistics = try #require(report.files.first { $0.name == "statistics" })
        #expect(statistics.state == .failing)
        #expect(statistics.failures == 1)
        #expect(statistics.sizeBytes ?? 0 > 0, "the last good version is still served")
        let reason = try #require(statistics.lastError)
        #expect(!reason.contains(root.url.path))
        #expect(report.files.first { $0.name == "eliminations" }?.state == .loaded)
    }

    @Test("a change without the page's token, from another origin or another site is refused with 403, the file untouched")
    func crossSiteRefused() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let before = try Data(contentsOf: root.url.appendingPathComponent("ptn_api/api_keys.json"))
        try await Application(router: try await Self.router(root)).test(.router) { client in
            let token = try await Self.token(client)
            let body = #"{"alias": "mallory", "tier": 100}"#
            let noToken = try await Self.change(client, .post, "/console/keys", body, token: nil)
            #expect(noToken.status == .forbidden)
            #expect(noToken.errorMessage?.contains("token") == true)
            let forged = try await Self.change(client, .post, "/console/keys", body, token: "1.2." + String(repeating: "0", count: 64))
            #expect(forged.status == .forbidden)
            let otherOrigin = try await Self.change(client, .post, "/console/keys", body, token: token, origin: "http://evil.example")
            #expect(otherOrigin.status == .forbidden)
            #expect(otherOrigin.errorMessage?.contains("Origin") == true)
            var headers = Self.host
            headers[HTTPField.Name("X-Console-Token")!] = token
            headers[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
            let crossSite = try await client.execute(uri: "/console/keys", method: .delete, headers: headers, body: ByteBuffer(string: #"{"alias": "alice"}"#))
            #expect(crossSite.status == .forbidden)
        }
        #expect(try Data(contentsOf: root.url.appendingPathComponent("ptn_api/api_keys.json")) == before)
    }

    @Test("add shows the new key once and stores its SHA-256; change sets tier and rate; revoke removes it; nothing is logged but aliases")
    func manageKeys() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let log = LogRecorder()
        try await Application(router: try await Self.router(root, logger: log.logger())).test(.router) { client in
            let token = try await Self.token(client)
            let added = try await Self.change(client, .post, "/console/keys", #"{"alias": "buyer-1", "tier": 30, "rate": "60/min"}"#, token: token)
            #expect(added.status == .created)
            let answer = try #require(try added.json() as? [String: Any])
            let key = try #require(answer["key"] as? String)
            #expect(key.hasPrefix("ptn_"))
            #expect(answer["tier"] as? Int == 30)
            var file = try Self.keyFile(root)
            let entry = try #require(file["buyer-1"] as? [String: Any])
            #expect(entry["key"] == nil)
            #expect(entry["key_sha256"] as? String == APIKeySet.digest(key).map { String(format: "%02x", $0) }.joined())
            #expect(entry["rate"] as? String == "60/min")
            let parsed = try APIKeyFile.parse(try Data(contentsOf: root.url.appendingPathComponent("ptn_api/api_keys.json"))).keys
            #expect(parsed.client(for: key) == APIClient(alias: "buyer-1", tier: 30, rate: RateSpec(count: 60, periodSeconds: 60)))
            #expect(file["alice"] != nil, "other entries are kept")

            let changed = try await Self.change(client, .post, "/console/keys/change", #"{"alias": "buyer-1", "tier": 50, "rate": null}"#, token: token)
            #expect(changed.status == .ok)
            file = try Self.keyFile(root)
            #expect((file["buyer-1"] as? [String: Any])?["tier"] as? Int == 50)
            #expect((file["buyer-1"] as? [String: Any])?["rate"] == nil)

            let revoked = try await Self.change(client, .delete, "/console/keys", #"{"alias": "buyer-1"}"#, token: token)
            #expect(revoked.status == .ok)
            #expect(try Self.keyFile(root)["buyer-1"] == nil)
            #expect(!log.lines.contains { $0.text.contains(key) })
            #expect(!log.lines.contains { $0.text.contains(root.url.path) })
            #expect(log.lines.contains { $0.text.contains("buyer-1") })
        }
    }

    @Test("bad input gets 400, a taken alias 409, an unknown one 404; the key file stays as it was")
    func badInput() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let before = try Data(contentsOf: root.url.appendingPathComponent("ptn_api/api_keys.json"))
        try await Application(router: try await Self.router(root)).test(.router) { client in
            let token = try await Self.token(client)
            let cases: [(HTTPRequest.Method, String, String, HTTPResponse.Status)] = [
                (.post, "/console/keys", "not json", .badRequest),
                (.post, "/console/keys", #"{"alias": "x", "tier": 500}"#, .badRequest),
                (.post, "/console/keys", #"{"alias": "x"}"#, .badRequest),
                (.post, "/console/keys", #"{"alias": "", "tier": 0}"#, .badRequest),
                (.post, "/console/keys", #"{"alias": "a\u0007b", "tier": 0}"#, .badRequest),
                (.post, "/console/keys", #"{"alias": "x", "tier": 0, "rate": "fast"}"#, .badRequest),
                (.post, "/console/keys", #"{"alias": "alice", "tier": 0}"#, .conflict),
                (.post, "/console/keys/change", #"{"alias": "alice"}"#, .badRequest),
                (.post, "/console/keys/change", #"{"alias": "nobody", "tier": 0}"#, .notFound),
                (.delete, "/console/keys", #"{"alias": "nobody"}"#, .notFound),
                (.post, "/console/keys", String(repeating: " ", count: 20_000), .contentTooLarge),
            ]
            for (method, uri, body, status) in cases {
                let response = try await Self.change(client, method, uri, body, token: token)
                #expect(response.status == status, "\(method) \(uri) \(body.prefix(40))")
                #expect(response.errorMessage != nil)
                #expect(response.errorMessage?.contains(root.url.path) == false)
            }
        }
        #expect(try Data(contentsOf: root.url.appendingPathComponent("ptn_api/api_keys.json")) == before)
    }
}
