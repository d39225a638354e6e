import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import PTNServe

/// What the `vanta` profile serves differently from `ptn`, as Vanta's own server does.
@Suite("The vanta profile's positions routes")
struct VantaProfileRoutesTests {
    typealias Key = TestDataRoot.Key

    static func vanta(_ root: TestDataRoot) async throws -> some ApplicationProtocol {
        var config = root.configuration()
        config.profile = "vanta"
        return try await buildApplication(config, logger: quietLogger)
    }

    @Test("/miner-positions without tier: the tier-100 file's gzip bytes, each miner with its tier; 403 below tier 100")
    func defaultIsTier100File() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let onDisk = try Data(contentsOf: root.path("validation/outputs/tiered_positions/100/output.json.gz"))
        try await Self.vanta(root).test(.router) { client in
            let response = try await client.execute(uri: "/miner-positions", method: .get, headers: bearer(Key.tier100))
            #expect(response.status == .ok)
            #expect(response.headers[.contentEncoding] == "gzip")
            #expect(Data(buffer: response.body) == onDisk)
            let low = try await client.execute(uri: "/miner-positions", method: .get, headers: bearer(Key.tier50))
            #expect(low.status == .forbidden)
            #expect(low.errorMessage == "Your API key does not have access to tier 100 data")
            // ?tier=T still picks a tier file, as in ptn.
            let thirty = try await client.execute(uri: "/miner-positions?tier=30", method: .get, headers: bearer(Key.tier50))
            #expect(Data(buffer: thirty.body) == (try Data(contentsOf: root.path("validation/outputs/tiered_positions/30/output.json.gz"))))
        }
    }

    @Test("without tier files, /miner-positions falls back to output.json")
    func fallbackToOutput() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try root.remove("validation/outputs/tiered_positions/100/output.json.gz")
        try await Self.vanta(root).test(.router) { client in
            var headers = bearer(Key.tier100)
            headers[.acceptEncoding] = "identity"
            let response = try await client.execute(uri: "/miner-positions", method: .get, headers: headers)
            #expect(response.status == .ok)
            #expect(response.text == (try TestDataRoot.outputJSON()))
        }
    }

    @Test("an unknown miner's 404 carries positions: [] beside the error; ptn's does not")
    func unknownMinerBody() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await Self.vanta(root).test(.router) { client in
            let response = try await client.execute(uri: "/miner-positions/5Unknown", method: .get, headers: bearer(Key.tier30))
            #expect(response.status == .notFound)
            #expect(response.text == #"{"error": "Miner ID 5Unknown not found", "positions": []}"#)
            let known = try await client.execute(uri: "/miner-positions/\(TestDataRoot.hotkeyA)", method: .get, headers: bearer(Key.tier100))
            #expect(known.status == .ok)
        }
        try await makeApplication(root).test(.router) { client in
            let response = try await client.execute(uri: "/miner-positions/5Unknown", method: .get, headers: bearer(Key.tier30))
            #expect(response.text == #"{"error": "Miner ID 5Unknown not found"}"#)
        }
    }
}
