import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import PTNServe

@Suite("Plans on the routes: quota 429 with RateLimit fields, expiry 403, scope 403/200, GET /usage")
struct PlanRoutesTests {
    static let policy = HTTPField.Name("RateLimit-Policy")!
    static let state = HTTPField.Name("RateLimit")!
    static let retryAfter = HTTPField.Name("Retry-After")!

    /// A data root whose key file holds `entries` (JSON members).
    static func root(_ entries: String) throws -> TestDataRoot {
        let root = try TestDataRoot.make()
        try root.write("ptn_api/api_keys.json", "{\(entries)}")
        return root
    }

    @Test("a key with a 50-request monthly quota gets 50 answers counting down, then 429 naming the quota, with Retry-After")
    func requestQuota() async throws {
        let root = try Self.root(#""buyer": {"key": "k-buyer-1", "tier": 100, "quota": {"requests": 50, "period": "month"}}"#)
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            for number in 1...50 {
                let answer = try await client.execute(uri: "/miner-hotkeys", method: .get, headers: bearer("k-buyer-1"))
                #expect(answer.status == .ok)
                #expect(answer.headers[Self.policy] == #""month";q=50;w=2592000"#)
                #expect(answer.headers[Self.state]?.hasPrefix(#""month";r=\#(50 - number);t="#) == true, "\(answer.headers)")
                #expect(answer.headers[HTTPField.Name("RateLimit-Limit")!] == "600")
            }
            let refused = try await client.execute(uri: "/miner-hotkeys", method: .get, headers: bearer("k-buyer-1"))
            #expect(refused.status == .tooManyRequests)
            let refill = QuotaPeriod.month.end(containing: Date())
            let seconds = Int(refill.timeIntervalSinceNow.rounded(.up))
            let retry = try #require(Int(refused.headers[Self.retryAfter] ?? ""))
            #expect(abs(retry - seconds) <= 2)
            #expect(refused.headers[Self.policy] == #""month";q=50;w=2592000"#)
            #expect(refused.headers[Self.state] == #""month";r=0;t=\#(retry)"#)
            #expect(refused.errorMessage == "Monthly request quota of 50 requests used up; it refills at \(KeyPlan.timeText(refill))")
            #expect(!refused.text.contains("k-buyer-1"))
            // Its own usage stays readable, and says nothing is left.
            let usage = try await client.execute(uri: "/usage", method: .get, headers: bearer("k-buyer-1"))
            #expect(usage.status == .ok)
            let object = try #require(try usage.json() as? [String: Any])
            let quota = try #require(object["quota"] as? [String: Any])
            let requests = try #require(quota["requests"] as? [String: Any])
            #expect(requests["limit"] as? Int == 50 && requests["used"] as? Int == 50 && requests["remaining"] as? Int == 0)
            let hours = try #require(object["hours"] as? [[String: Any]])
            #expect(hours.reduce(0) { $0 + ($1["requests"] as? Int ?? 0) } == 51)
            #expect(hours.reduce(0) { $0 + ($1["rate_limited"] as? Int ?? 0) } == 1)
            #expect((object["days"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test("a byte quota counts body bytes sent and refuses once they are used up")
    func byteQuota() async throws {
        let root = try Self.root(#""buyer": {"key": "k-bytes", "tier": 100, "quota": {"bytes": 50, "period": "day"}}"#)
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let first = try await client.execute(uri: "/miner-hotkeys", method: .get, headers: bearer("k-bytes"))
            #expect(first.status == .ok)
            #expect(first.body.readableBytes > 50)
            #expect(first.headers[Self.policy] == #""day-bytes";q=50;qu="content-bytes";w=86400"#)
            #expect(first.headers[Self.state]?.hasPrefix(#""day-bytes";r=0;"#) == true)
            let refused = try await client.execute(uri: "/miner-hotkeys", method: .get, headers: bearer("k-bytes"))
            #expect(refused.status == .tooManyRequests)
            #expect(refused.errorMessage?.hasPrefix("Daily byte quota of 50 B used up; it refills at ") == true)
        }
    }

    @Test("an expired key gets 403 API key expired everywhere; an unexpired one is served")
    func expiry() async throws {
        let root = try Self.root(#"""
            "old": {"key": "k-old", "tier": 100, "expires": "2020-01-01T00:00:00Z"},
            "new": {"key": "k-new", "tier": 100, "expires": "2999-01-01T00:00:00Z"}
            """#)
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            for uri in ["/miner-hotkeys", "/usage", "/events"] {
                let answer = try await client.execute(uri: uri, method: .get, headers: bearer("k-old"))
                #expect(answer.status == .forbidden)
                #expect(answer.errorMessage == "API key expired")
            }
            #expect(try await client.execute(uri: "/miner-hotkeys", method: .get, headers: bearer("k-new")).status == .ok)
        }
    }

    @Test("a scoped key gets 403 naming the route outside its routes and 200 inside; /usage is always its own")
    func scope() async throws {
        let root = try Self.root(#""scoped": {"key": "k-scoped", "tier": 100, "routes": ["/miner-positions*", "/eliminations"]}"#)
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let hotkey = TestDataRoot.hotkeyA
            #expect(try await client.execute(uri: "/miner-positions/\(hotkey)", method: .get, headers: bearer("k-scoped")).status == .ok)
            #expect(try await client.execute(uri: "/eliminations", method: .get, headers: bearer("k-scoped")).status == .ok)
            let outside = try await client.execute(uri: "/statistics", method: .get, headers: bearer("k-scoped"))
            #expect(outside.status == .forbidden)
            #expect(outside.errorMessage == "This API key does not give access to /statistics")
            #expect(outside.headers[Self.policy] == nil)
            #expect(try await client.execute(uri: "/events", method: .get, headers: bearer("k-scoped")).status == .forbidden)
            #expect(try await client.execute(uri: "/usage", method: .get, headers: bearer("k-scoped")).status == .ok)
        }
    }

    @Test("a malformed plan edit is refused with a warning naming the alias and field; the keys in force stay")
    func malformedEdit() async throws {
        let root = try Self.root(#""buyer": {"key": "k-buyer-2", "tier": 100}"#)
        defer { root.delete() }
        let log = LogRecorder()
        try await makeApplication(root, logger: log.logger()).test(.router) { client in
            try root.write("ptn_api/api_keys.json", #"{"buyer": {"key": "k-buyer-2", "tier": 100}, "acme": {"key": "k-acme-9", "expires": "soon"}}"#)
            let warning = await log.line { $0.level == .warning && $0.message.contains("rejected") }
            let reason = warning?.text ?? ""
            #expect(reason.contains("acme") && reason.contains("expires"))
            #expect(!reason.contains("k-acme-9") && !reason.contains(root.url.path))
            #expect(try await client.execute(uri: "/miner-hotkeys", method: .get, headers: bearer("k-buyer-2")).status == .ok)
            #expect(try await client.execute(uri: "/miner-hotkeys", method: .get, headers: bearer("k-acme-9")).status == .unauthorized)
        }
    }
}
