import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import PTNServe

@Suite("Key file reloads")
struct KeyReloadTests {
    typealias Key = TestDataRoot.Key

    static func status(_ client: some TestClientProtocol, _ key: String, _ uri: String = "/miner-positions") async throws
        -> HTTPResponse.Status
    {
        try await client.execute(uri: uri, method: .get, headers: bearer(key)).status
    }

    @Test(
        "added keys, removed keys and tier-only edits take effect without a restart; a malformed edit keeps the last good keys",
        .timeLimit(.minutes(3))
    )
    func reloads() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let log = LogRecorder()
        try await makeApplication(root, logger: log.logger()).test(.router) { client in
            // Add a key. The watcher looks every second; the waits allow for a busy machine (they end at the change).
            try root.write("ptn_api/api_keys.json", #"{"alice": {"key": "\#(Key.tier100)", "tier": 100}, "dave": "k-dave-new"}"#)
            #expect(try await eventually(timeout: .seconds(30)) { try await Self.status(client, "k-dave-new") == .ok })
            // The removed keys are gone.
            #expect(try await Self.status(client, Key.tier50, "/eliminations") == .unauthorized)
            // Tier-only edit: alice drops to 30.
            try root.write("ptn_api/api_keys.json", #"{"alice": {"key": "\#(Key.tier100)", "tier": 30}, "dave": "k-dave-new"}"#)
            #expect(try await eventually(timeout: .seconds(30)) { try await Self.status(client, Key.tier100) == .forbidden })
            // Malformed edit: once the server has read and refused it, nothing has changed.
            try root.write("ptn_api/api_keys.json", #"{"alice": {"key": "#)
            #expect(await log.line { $0.level == .warning && $0.message.contains("rejected") } != nil)
            #expect(try await Self.status(client, "k-dave-new") == .ok)
            #expect(try await Self.status(client, Key.tier100, "/eliminations") == .ok)
            // Deleted key file: once the server has noticed, the keys in force still stay.
            try root.remove("ptn_api/api_keys.json")
            #expect(await log.line { $0.level == .warning && $0.message.contains("missing") } != nil)
            #expect(try await Self.status(client, "k-dave-new") == .ok)
        }
    }

    @Test("key file parsing: PTN objects, legacy strings, missing tiers, skipped entries, seed lists")
    func parsing() throws {
        let (keys, warnings) = try APIKeyFile.parse(Data(#"""
            {"a": {"key": "ka", "tier": 50}, "b": "kb", "c": {"key": "kc"}, "d": {"tier": 100}, "e": 42, "f": {"key": ""},
             "g": {"key": "kg", "tier": "high"}, "h": {"key": "kh", "tier": 200},
             "i": {"key": "ki", "tier": 0}, "j": {"key": "kj", "tier": true}}
            """#.utf8))
        #expect(keys.client(for: "ka") == APIClient(alias: "a", tier: 50))
        #expect(keys.client(for: "kb") == APIClient(alias: "b", tier: 100))
        #expect(keys.client(for: "kc") == APIClient(alias: "c", tier: 0))
        #expect(keys.client(for: "kh") == APIClient(alias: "h", tier: 200))
        #expect(keys.client(for: "ki") == APIClient(alias: "i", tier: 0))
        #expect(keys.client(for: "kg") == nil)
        #expect(keys.client(for: "kj") == nil)
        #expect(keys.count == 5)
        #expect(warnings.count == 5)
        #expect(warnings.allSatisfy { !$0.contains("kg") })
        let (list, _) = try APIKeyFile.parse(Data(#"["xxxx"]"#.utf8))
        #expect(list.client(for: "xxxx")?.tier == 100)
        #expect(throws: APIKeyFile.Failure.self) { try APIKeyFile.parse(Data("42".utf8)) }
        #expect(throws: APIKeyFile.Failure.self) { try APIKeyFile.parse(Data("{".utf8)) }
        // Not JSON either, though a lenient decoder would load a key other than the one written.
        #expect(throws: APIKeyFile.Failure.self) { try APIKeyFile.parse(Data("{\"a\": \"k-\u{1}-x\"}".utf8)) }
        #expect(throws: APIKeyFile.Failure.self) { try APIKeyFile.parse(Data(#"{"a": "k-"#.utf8) + Data([0xFF]) + Data(#"-x"}"#.utf8)) }
    }

    @Test("a missing or malformed key file at start is a clear start-up error")
    func startupErrors() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try root.remove("ptn_api/api_keys.json")
        let missing = await #expect(throws: StartupError.self) { try await makeApplication(root) }
        #expect(missing?.description.contains("ptn_api/api_keys.json") == true)
        #expect(missing?.description.contains("does not exist") == true)
        try root.write("ptn_api/api_keys.json", "{nope")
        let malformed = await #expect(throws: StartupError.self) { try await makeApplication(root) }
        #expect(malformed?.description.contains("not valid JSON") == true)
    }
}
