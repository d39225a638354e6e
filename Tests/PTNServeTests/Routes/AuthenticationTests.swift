import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import PTNServe

@Suite("Key sources and key checks")
struct AuthenticationTests {
    typealias Key = TestDataRoot.Key

    @Test("each accepted key source gets the data", arguments: [
        ("Bearer", [HTTPField.Name.authorization: "Bearer \(Key.tier100)"]),
        ("lower-case scheme", [.authorization: "bearer \(Key.tier100)"]),
        ("upper-case scheme", [.authorization: "BEARER \(Key.tier100)"]),
        ("X-API-Key", [HTTPField.Name("X-API-Key")!: Key.tier100]),
        ("raw Authorization key (Vanta 2026)", [.authorization: Key.tier100]),
        ("raw Authorization key, padded", [.authorization: "  \(Key.tier100) "]),
        ("legacy string entry", [.authorization: "Bearer \(Key.legacy)"]),
    ] as [(String, HTTPFields)])
    func headerSources(_ name: String, _ headers: HTTPFields) async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let response = try await client.execute(uri: "/miner-hotkeys", method: .get, headers: headers)
            #expect(response.status == .ok, "\(name)")
            #expect(try response.json() as? [String] == [TestDataRoot.hotkeyA, TestDataRoot.hotkeyB])
        }
    }

    @Test("the seed's JSON body key works on GET, with or without a content type")
    func bodyKey() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let body = ByteBuffer(string: #"{"api_key": "\#(Key.tier100)"}"#)
            let typed = try await client.execute(
                uri: "/miner-hotkeys", method: .get, headers: [.contentType: "application/json"], body: body
            )
            #expect(typed.status == .ok)
            let untyped = try await client.execute(uri: "/miner-hotkeys", method: .get, body: body)
            #expect(untyped.status == .ok)
        }
    }

    @Test("missing, wrong and non-bearer keys get 401 with PTN's message", arguments: [
        [:],
        [HTTPField.Name.authorization: "Bearer not-a-key"],
        [.authorization: "not-a-key"],
        [.authorization: "Basic \(Key.tier100)"],
        [.authorization: "Bearer"],
        [HTTPField.Name("X-API-Key")!: "k-alice-3f9c1e7a2"],
    ] as [HTTPFields])
    func rejected(_ headers: HTTPFields) async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let response = try await client.execute(uri: "/eliminations", method: .get, headers: headers)
            #expect(response.status == .unauthorized)
            #expect(response.errorMessage == "Unauthorized access")
            #expect(!response.text.contains(Key.tier100))
        }
    }

    @Test("a body key that is not a key in force is 401; a body that is not JSON is 400")
    func badBodies() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let wrong = try await client.execute(uri: "/eliminations", method: .get, body: ByteBuffer(string: #"{"api_key": "nope"}"#))
            #expect(wrong.status == .unauthorized)
            let noKey = try await client.execute(uri: "/eliminations", method: .get, body: ByteBuffer(string: #"{"other": 1}"#))
            #expect(noKey.status == .unauthorized)
            let garbage = try await client.execute(uri: "/eliminations", method: .get, body: ByteBuffer(string: "api_key=xxxx"))
            #expect(garbage.status == .badRequest)
            #expect(garbage.errorMessage?.hasPrefix("Bad request") == true)
        }
    }

    @Test("a body over 64 KiB is 413 whatever the key source, and a header key means the body is not read")
    func bodyLimit() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let big = ByteBuffer(string: #"{"api_key": "\#(Key.tier100)", "pad": "\#(String(repeating: "x", count: 70_000))"}"#)
            let response = try await client.execute(uri: "/eliminations", method: .get, body: big)
            #expect(response.status == .contentTooLarge)
            #expect(response.errorMessage?.contains("too large") == true)
            // The 64 KiB cap holds for every request (hardening); under it, a header key means the body is never parsed.
            let withHeader = try await client.execute(uri: "/eliminations", method: .get, headers: bearer(Key.tier100), body: big)
            #expect(withHeader.status == .contentTooLarge)
            let garbage = try await client.execute(
                uri: "/eliminations", method: .get, headers: bearer(Key.tier100), body: ByteBuffer(string: "not json at all")
            )
            #expect(garbage.status == .ok)
        }
    }

    @Test("?api_key= counts only with --allow-query-key")
    func queryKey() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let response = try await client.execute(uri: "/eliminations?api_key=\(Key.tier100)", method: .get)
            #expect(response.status == .unauthorized)
        }
        try await makeApplication(root, allowQueryKey: true).test(.router) { client in
            let response = try await client.execute(uri: "/eliminations?api_key=\(Key.tier100)", method: .get)
            #expect(response.status == .ok)
        }
    }

    @Test("the seed's key list format gives every key tier 100")
    func seedKeyList() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try root.write("ptn_api/api_keys.json", #"["xxxx", "yyyy"]"#)
        try await makeApplication(root).test(.router) { client in
            let response = try await client.execute(uri: "/validator-checkpoint", method: .get, headers: bearer("yyyy"))
            #expect(response.status == .ok)
        }
    }
}
