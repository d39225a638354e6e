import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import PTNServe

@Suite("Eliminations, miner copying and checkpoint routes")
struct ValidatorFilesRoutesTests {
    typealias Key = TestDataRoot.Key

    @Test("eliminations: the file as is, for any valid key")
    func eliminations() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let response = try await client.execute(uri: "/eliminations", method: .get, headers: bearer(Key.tier0))
            #expect(response.status == .ok)
            #expect(response.text == TestDataRoot.eliminationsJSON)
        }
        try root.remove("validation/eliminations.json")
        try await makeApplication(root).test(.router) { client in
            let response = try await client.execute(uri: "/eliminations", method: .get, headers: bearer(Key.tier0))
            #expect(response.status == .notFound)
            #expect(response.errorMessage == "Eliminations data not found")
        }
    }

    @Test("miner copying: 404 while absent (as on every validator since 2024), the file when present")
    func minerCopying() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let response = try await client.execute(uri: "/miner-copying", method: .get, headers: bearer(Key.tier100))
            #expect(response.status == .notFound)
            #expect(response.errorMessage == "Miner copying data not found")
        }
        let copying = "{\"\(TestDataRoot.hotkeyA)\": 0, \"\(TestDataRoot.hotkeyB)\": 0.25}"
        try root.write("validation/miner_copying.json", copying)
        try await makeApplication(root).test(.router) { client in
            let response = try await client.execute(uri: "/miner-copying", method: .get, headers: bearer(Key.tier100))
            #expect(response.text == copying)
        }
    }

    @Test("checkpoint: tier 100 only; JSON for plain clients, the stored gzip for clients that accept it")
    func checkpoint() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let onDisk = try Data(contentsOf: root.path("runnable/validator_checkpoint.json.gz"))
        try await makeApplication(root).test(.router) { client in
            let denied = try await client.execute(uri: "/validator-checkpoint", method: .get, headers: bearer(Key.tier50))
            #expect(denied.status == .forbidden)
            #expect(denied.errorMessage == "Validator checkpoint data requires tier 100 access")
            let plain = try await client.execute(uri: "/validator-checkpoint", method: .get, headers: bearer(Key.tier100))
            #expect(plain.status == .ok)
            #expect(plain.text == (try TestDataRoot.checkpointJSON()))
            var headers = bearer(Key.tier100)
            headers[.acceptEncoding] = "gzip"
            let zipped = try await client.execute(uri: "/validator-checkpoint", method: .get, headers: headers)
            #expect(zipped.headers[.contentEncoding] == "gzip")
            #expect(Data(buffer: zipped.body) == onDisk)
        }
    }

    @Test("checkpoint: the plain .json of older validators, the newer file when both exist, 404 when none")
    func checkpointLocations() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try root.remove("runnable/validator_checkpoint.json.gz")
        try root.write("runnable/validator_checkpoint.json", #"{"version": "old"}"#)
        try await makeApplication(root).test(.router) { client in
            let response = try await client.execute(uri: "/validator-checkpoint", method: .get, headers: bearer(Key.tier100))
            #expect(response.text == #"{"version": "old"}"#)
        }
        // The plain file is a minute old, so the .gz written now is the newer one whatever the file system's mtime tick.
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: -60)], ofItemAtPath: root.path("runnable/validator_checkpoint.json").path
        )
        try root.write("runnable/validator_checkpoint.json.gz", TestDataRoot.gzip(#"{"version": "new"}"#))
        try await makeApplication(root).test(.router) { client in
            let response = try await client.execute(uri: "/validator-checkpoint", method: .get, headers: bearer(Key.tier100))
            #expect(response.text == #"{"version": "new"}"#)
        }
        try root.remove("runnable/validator_checkpoint.json.gz")
        try root.remove("runnable/validator_checkpoint.json")
        try await makeApplication(root).test(.router) { client in
            let response = try await client.execute(uri: "/validator-checkpoint", method: .get, headers: bearer(Key.tier100))
            #expect(response.status == .notFound)
            #expect(response.errorMessage == "Checkpoint data not found")
        }
    }
}
