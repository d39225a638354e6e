import Foundation
import Testing
@testable import PTNServe

@Suite("keys add / list / set / revoke, hashed keys, and key file permissions")
struct KeyFileEditorTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ptn-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("add creates a 0600 file holding only the key's hash; the printed key authenticates at its tier and rate")
    func addHashed() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("api_keys.json").path
        let editor = KeyFileEditor(path: path)
        let key = try editor.add(alias: "carol", tier: 50, rate: RateSpec(parsing: "120/min"), plain: false)
        #expect(key.hasPrefix("ptn_") && key.count >= 40)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains(key))
        #expect(text.contains("key_sha256"))
        #expect(KeyFilePermissions.exposedMode(path) == nil)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)
        #expect(mode.intValue & 0o777 == 0o600)
        let (keys, warnings) = try APIKeyFile.parse(try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(warnings.isEmpty)
        #expect(keys.client(for: key) == APIClient(alias: "carol", tier: 50, rate: RateSpec(count: 120, periodSeconds: 60)))
        #expect(keys.client(for: key + "x") == nil)
        #expect(try editor.list() == [.init(alias: "carol", tier: 50, rate: "120/min", hashed: true)])
    }

    @Test("add --plain, revoke and list keep every other entry exactly, the PTN string form included")
    func preservesOthers() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("api_keys.json").path
        try Data(#"{"legacy": "k-legacy-123", "bob": {"key": "k-bob-456", "tier": 30}}"#.utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o640)
        let editor = KeyFileEditor(path: path)
        let key = try editor.add(alias: "dave", tier: 100, rate: nil, plain: true)
        #expect(throws: KeyFileEditor.Failure.self) { try editor.add(alias: "dave", tier: 0, rate: nil, plain: true) }
        try editor.revoke(alias: "bob")
        #expect(throws: KeyFileEditor.Failure.self) { try editor.revoke(alias: "bob") }
        let (keys, _) = try APIKeyFile.parse(try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(keys.client(for: "k-legacy-123") == APIClient(alias: "legacy", tier: 100))
        #expect(keys.client(for: "k-bob-456") == nil)
        #expect(keys.client(for: key) == APIClient(alias: "dave", tier: 100))
        #expect(try editor.list().map(\.alias) == ["dave", "legacy"])
        // The operator's chosen mode survives the rewrite.
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)
        #expect(mode.intValue & 0o777 == 0o640)
        #expect(KeyFilePermissions.exposedMode(path) == 0o640)
    }

    @Test("generated keys are distinct and 256-bit")
    func generated() {
        let keys = Set((0..<200).map { _ in KeyFileEditor.generateKey() })
        #expect(keys.count == 200)
        #expect(keys.allSatisfy { $0.count == 4 + 43 })
    }

    @Test("key_sha256 entries: valid hex in either case accepted, anything else skipped with a warning naming the alias")
    func hashedEntries() throws {
        let digest = APIKeySet.digest("k-secret").map { String(format: "%02X", $0) }.joined()
        let file = #"{"up": {"key_sha256": "\#(digest)", "tier": 30}, "short": {"key_sha256": "abcd"}, "bad": {"key_sha256": "\#(String(repeating: "g", count: 64))"}, "rate": {"key": "k-r", "rate": "fast"}}"#
        let (keys, warnings) = try APIKeyFile.parse(Data(file.utf8))
        #expect(keys.client(for: "k-secret") == APIClient(alias: "up", tier: 30))
        #expect(keys.count == 1)
        #expect(warnings.count == 3)
        #expect(warnings.allSatisfy { !$0.contains("k-r") })
    }

    @Test("a key file readable by others is reported at start, without naming any key")
    func startWarning() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        chmod(root.path("ptn_api/api_keys.json").path, 0o644)
        let recorder = LogRecorder()
        _ = try await buildApplication(root.configuration(), logger: recorder.logger())
        let warning = recorder.lines.first { $0.message.contains("readable by other users") }
        #expect(warning != nil)
        for line in recorder.lines {
            for key in [TestDataRoot.Key.tier100, TestDataRoot.Key.tier0, TestDataRoot.Key.legacy] { #expect(!line.text.contains(key)) }
        }
    }

    @Test("set changes a tier or a rate and keeps the key; PTN's plain string form becomes an object; unknown names are refused")
    func change() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("api_keys.json").path
        try Data(#"{"legacy": "k-legacy-1234567890", "other": {"key": "k-other-0987654321", "tier": 0}}"#.utf8).write(to: URL(fileURLWithPath: path))
        let editor = KeyFileEditor(path: path)
        let key = try editor.add(alias: "dave", tier: 30, rate: nil, plain: false)
        try editor.change(alias: "dave", tier: 50, rate: .some(RateSpec(count: 5, periodSeconds: 1)))
        try editor.change(alias: "legacy", tier: 30, rate: nil)
        var keys = try APIKeyFile.parse(try Data(contentsOf: URL(fileURLWithPath: path))).keys
        #expect(keys.client(for: key) == APIClient(alias: "dave", tier: 50, rate: RateSpec(count: 5, periodSeconds: 1)))
        #expect(keys.client(for: "k-legacy-1234567890") == APIClient(alias: "legacy", tier: 30))
        #expect(keys.client(for: "k-other-0987654321") == APIClient(alias: "other", tier: 0))
        try editor.change(alias: "dave", tier: nil, rate: .some(nil))
        keys = try APIKeyFile.parse(try Data(contentsOf: URL(fileURLWithPath: path))).keys
        #expect(keys.client(for: key) == APIClient(alias: "dave", tier: 50))
        #expect(throws: KeyFileEditor.Failure.self) { try editor.change(alias: "nobody", tier: 0, rate: nil) }
    }
}
