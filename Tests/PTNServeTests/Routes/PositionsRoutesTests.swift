import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import PTNServe

@Suite("Positions routes")
struct PositionsRoutesTests {
    typealias Key = TestDataRoot.Key

    @Test("no tier: output.json byte for byte, gzip only when asked for")
    func realtimeFile() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let expected = try TestDataRoot.outputJSON()
        try await makeApplication(root).test(.router) { client in
            let plain = try await client.execute(uri: "/miner-positions", method: .get, headers: bearer(Key.tier100))
            #expect(plain.status == .ok)
            #expect(plain.headers[.contentType] == "application/json")
            #expect(plain.headers[.contentEncoding] == nil)
            #expect(plain.text == expected)
            #expect(try await gzipFormReady(client, uri: "/miner-positions", key: Key.tier100))
            var headers = bearer(Key.tier100)
            headers[.acceptEncoding] = "gzip, deflate"
            let zipped = try await client.execute(uri: "/miner-positions", method: .get, headers: headers)
            #expect(zipped.headers[.contentEncoding] == "gzip")
            #expect(String(buffer: try zipped.decodedBody()) == expected)
        }
    }

    @Test("no tier needs a tier 100 key", arguments: [Key.tier50, Key.tier30, Key.tier0])
    func realtimeNeedsTier100(_ key: String) async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let response = try await client.execute(uri: "/miner-positions", method: .get, headers: bearer(key))
            #expect(response.status == .forbidden)
            #expect(response.errorMessage == "Your API key does not have access to tier 100 data")
        }
    }

    @Test("?tier=T: the tier file's gzip bytes when the key's tier is high enough, else 403", arguments: [
        (Key.tier100, 0, true), (Key.tier100, 30, true), (Key.tier100, 50, true), (Key.tier100, 100, true),
        (Key.tier50, 0, true), (Key.tier50, 30, true), (Key.tier50, 50, true), (Key.tier50, 100, false),
        (Key.tier30, 30, true), (Key.tier30, 50, false), (Key.tier0, 0, true), (Key.tier0, 30, false),
        (Key.legacy, 100, true),
    ])
    func tierFiles(_ key: String, _ tier: Int, _ allowed: Bool) async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let onDisk = try Data(contentsOf: root.path("validation/outputs/tiered_positions/\(tier)/output.json.gz"))
        try await makeApplication(root).test(.router) { client in
            let response = try await client.execute(uri: "/miner-positions?tier=\(tier)", method: .get, headers: bearer(key))
            if allowed {
                #expect(response.status == .ok)
                #expect(response.headers[.contentEncoding] == "gzip")
                #expect(response.headers[.contentType] == "application/json")
                #expect(Data(buffer: response.body) == onDisk)
            } else {
                #expect(response.status == .forbidden)
                #expect(response.errorMessage == "Your API key does not have access to tier \(tier) data")
            }
        }
    }

    @Test("a client that refuses gzip gets the tier file decompressed")
    func tierWithoutGzip() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            var headers = bearer(Key.tier30)
            headers[.acceptEncoding] = "identity"
            let response = try await client.execute(uri: "/miner-positions?tier=30", method: .get, headers: headers)
            #expect(response.status == .ok)
            #expect(response.headers[.contentEncoding] == nil)
            #expect(response.text == (try TestDataRoot.tierJSON(30)))
        }
    }

    @Test("any other tier value is 400", arguments: ["1", "abc", "", "-0x", "100.0", "300"])
    func invalidTier(_ value: String) async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let response = try await client.execute(uri: "/miner-positions?tier=\(value)", method: .get, headers: bearer(Key.tier100))
            #expect(response.status == .badRequest)
            #expect(response.errorMessage == "Invalid tier value. Allowed values are 0, 30, 50, or 100")
        }
    }

    @Test("one miner: real time for tier 100 keys, else the highest tier file at or below the key's tier", arguments: [
        (Key.tier100, nil), (Key.legacy, nil), (Key.tier50, 50), (Key.tier30, 30), (Key.tier0, 0),
    ] as [(String, Int?)])
    func oneMiner(_ key: String, _ expectedTier: Int?) async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let response = try await client.execute(
                uri: "/miner-positions/\(TestDataRoot.hotkeyB)", method: .get, headers: bearer(key)
            )
            #expect(response.status == .ok)
            var object = try #require(try response.json() as? [String: Any])
            #expect(object.removeValue(forKey: "tier") as? Int == expectedTier)
            #expect(sameJSON(object, try parseJSON(try TestDataRoot.realEntry("miner-entry-b"))))
        }
    }

    @Test("an unknown miner is 404 with its id")
    func unknownMiner() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let response = try await client.execute(uri: "/miner-positions/5NotAMiner", method: .get, headers: bearer(Key.tier50))
            #expect(response.status == .notFound)
            #expect(response.errorMessage == "Miner ID 5NotAMiner not found")
        }
    }

    @Test("without output.json, the tier 100 file serves real-time requests; without either, 404")
    func fallbackToTier100() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try root.remove("validation/outputs/output.json")
        try await makeApplication(root).test(.router) { client in
            let all = try await client.execute(uri: "/miner-positions", method: .get, headers: bearer(Key.tier100))
            #expect(all.status == .ok)
            #expect(String(buffer: try all.decodedBody()) == (try TestDataRoot.tierJSON(100)))
            let hotkeys = try await client.execute(uri: "/miner-hotkeys", method: .get, headers: bearer(Key.tier100))
            #expect(try hotkeys.json() as? [String] == [TestDataRoot.hotkeyA, TestDataRoot.hotkeyB])
        }
        try root.remove("validation/outputs/tiered_positions/100/output.json.gz")
        try await makeApplication(root).test(.router) { client in
            let all = try await client.execute(uri: "/miner-positions", method: .get, headers: bearer(Key.tier100))
            #expect(all.status == .notFound)
            #expect(all.errorMessage == "Data not found")
            let hotkeys = try await client.execute(uri: "/miner-hotkeys", method: .get, headers: bearer(Key.tier100))
            #expect(hotkeys.status == .notFound)
            #expect(hotkeys.errorMessage == "No miner hotkeys found")
            let tier50 = try await client.execute(uri: "/miner-positions?tier=50", method: .get, headers: bearer(Key.tier100))
            #expect(tier50.status == .ok)
        }
    }
}
