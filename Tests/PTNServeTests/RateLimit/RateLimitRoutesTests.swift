import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import PTNServe

@Suite("Rate limits on the routes: 429 for the abuser, 200 for everyone else")
struct RateLimitRoutesTests {
    typealias Key = TestDataRoot.Key

    static func application(_ root: TestDataRoot, keyRate: String, addressRate: String = "60/min", observability: Observability = Observability())
        async throws -> some ApplicationProtocol
    {
        var config = root.configuration()
        config.security.rateLimits.keyRate = RateSpec(parsing: keyRate)!
        config.security.rateLimits.addressRate = RateSpec(parsing: addressRate)!
        return try await buildApplication(config, logger: quietLogger, observability: observability)
    }

    // Limits counted per hour in these tests: no token comes back while one runs, however long a busy machine makes it.
    @Test("an abusive key gets 429 with Retry-After while a well-behaved key keeps getting 200")
    func abusiveKey() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await Self.application(root, keyRate: "5/h").test(.router) { client in
            var statuses = [HTTPResponse.Status]()
            for _ in 0..<20 {
                statuses.append(try await client.execute(uri: "/miner-hotkeys", method: .get, headers: bearer(Key.tier100)).status)
            }
            #expect(statuses.prefix(5).allSatisfy { $0 == .ok })
            #expect(statuses.dropFirst(5).allSatisfy { $0 == .tooManyRequests })
            let refused = try await client.execute(uri: "/miner-hotkeys", method: .get, headers: bearer(Key.tier100))
            #expect(refused.status == .tooManyRequests)
            #expect(refused.errorMessage?.hasPrefix("Too many requests") == true)
            #expect(Int(refused.headers[HTTPField.Name("Retry-After")!] ?? "") ?? 0 >= 1)
            #expect(refused.headers[HTTPField.Name("RateLimit-Remaining")!] == "0")
            #expect(!refused.text.contains(Key.tier100))
            for _ in 0..<5 {
                let polite = try await client.execute(uri: "/miner-hotkeys", method: .get, headers: bearer(Key.tier50))
                #expect(polite.status == .ok)
            }
        }
    }

    /// Router tests have no peer address, so every request here comes from the same (unknown) address: one NAT, or
    /// the proxy that forwards every buyer from one IP.
    @Test("a key over its limit changes nothing for other requests from its address: other keys get 200, wrong keys 401")
    func keyLimitSparesItsAddress() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await Self.application(root, keyRate: "2/h", addressRate: "3/h").test(.router) { client in
            var hammering = [HTTPResponse.Status]()
            for _ in 0..<10 {
                hammering.append(try await client.execute(uri: "/miner-hotkeys", method: .get, headers: bearer(Key.tier100)).status)
            }
            #expect(hammering == [.ok, .ok] + Array(repeating: .tooManyRequests, count: 8))
            for _ in 0..<2 {
                #expect(try await client.execute(uri: "/miner-hotkeys", method: .get, headers: bearer(Key.tier50)).status == .ok)
            }
            // The address's whole budget is still there: three 401s, and only the fourth keyless request is refused.
            var keyless = [HTTPResponse.Status]()
            for guess in 0..<4 {
                let headers: HTTPFields = guess.isMultiple(of: 2) ? [:] : bearer("k-wrong-\(guess)")
                keyless.append(try await client.execute(uri: "/eliminations", method: .get, headers: headers).status)
            }
            #expect(keyless == [.unauthorized, .unauthorized, .unauthorized, .tooManyRequests])
        }
    }

    @Test("every keyed response carries RateLimit-Limit, -Remaining and -Reset, error answers included")
    func headers() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await Self.application(root, keyRate: "600/min").test(.router) { client in
            let ok = try await client.execute(uri: "/eliminations", method: .get, headers: bearer(Key.tier0))
            #expect(ok.headers[HTTPField.Name("RateLimit-Limit")!] == "600")
            #expect(ok.headers[HTTPField.Name("RateLimit-Remaining")!] == "599")
            #expect(ok.headers[HTTPField.Name("RateLimit-Reset")!] != nil)
            let notFound = try await client.execute(uri: "/miner-positions/nobody", method: .get, headers: bearer(Key.tier0))
            #expect(notFound.status == .notFound)
            // 10 tokens a second come back, so under load the count may have refilled between the two requests.
            #expect((590...599).contains(Int(notFound.headers[HTTPField.Name("RateLimit-Remaining")!] ?? "") ?? -1))
            let forbidden = try await client.execute(uri: "/validator-checkpoint", method: .get, headers: bearer(Key.tier0))
            #expect(forbidden.status == .forbidden)
            #expect(forbidden.headers[HTTPField.Name("RateLimit-Limit")!] == "600")
        }
    }

    @Test("a key's own \"rate\" in the key file overrides --rate-limit")
    func perKeyRate() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try root.write("ptn_api/api_keys.json", #"{"slow": {"key": "k-slow-1234567890", "tier": 100, "rate": "2/h"}, "fast": {"key": "k-fast-1234567890", "tier": 100}}"#)
        try await Self.application(root, keyRate: "100/min").test(.router) { client in
            var slow = [HTTPResponse.Status]()
            for _ in 0..<3 { slow.append(try await client.execute(uri: "/miner-hotkeys", method: .get, headers: bearer("k-slow-1234567890")).status) }
            #expect(slow == [.ok, .ok, .tooManyRequests])
            let fast = try await client.execute(uri: "/miner-hotkeys", method: .get, headers: bearer("k-fast-1234567890"))
            #expect(fast.headers[HTTPField.Name("RateLimit-Limit")!] == "100")
        }
    }

    @Test("requests without a valid key are limited per address; valid keys from the same address are not")
    func keyGuessing() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await Self.application(root, keyRate: "600/min", addressRate: "3/h").test(.router) { client in
            var statuses = [HTTPResponse.Status]()
            for guess in 0..<6 {
                statuses.append(try await client.execute(uri: "/eliminations", method: .get, headers: bearer("guess-\(guess)")).status)
            }
            #expect(statuses == [.unauthorized, .unauthorized, .unauthorized, .tooManyRequests, .tooManyRequests, .tooManyRequests])
            let keyed = try await client.execute(uri: "/eliminations", method: .get, headers: bearer(Key.tier0))
            #expect(keyed.status == .ok)
        }
    }

    @Test("--trust-proxy attributes keyless requests to the last X-Forwarded-For entry")
    func trustProxy() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        var config = root.configuration()
        config.security.rateLimits.addressRate = RateSpec(count: 1, periodSeconds: 60)
        config.security.rateLimits.trustProxy = true
        try await buildApplication(config, logger: quietLogger).test(.router) { client in
            let xff = HTTPField.Name("X-Forwarded-For")!
            let first = try await client.execute(uri: "/eliminations", method: .get, headers: [xff: "1.1.1.1, 10.0.0.1"])
            let second = try await client.execute(uri: "/eliminations", method: .get, headers: [xff: "2.2.2.2, 10.0.0.1"])
            let other = try await client.execute(uri: "/eliminations", method: .get, headers: [xff: "10.0.0.2"])
            #expect([first.status, second.status, other.status] == [.unauthorized, .tooManyRequests, .unauthorized])
        }
    }
}
