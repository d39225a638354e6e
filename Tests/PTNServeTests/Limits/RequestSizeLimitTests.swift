import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import PTNServe

@Suite("Request size caps: 413, 414, 431 as JSON errors")
struct RequestSizeLimitTests {
    typealias Key = TestDataRoot.Key

    @Test("a URL over 8 KiB is 414, a header section over 16 KiB is 431, a declared body over 64 KiB is 413")
    func caps() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let long = try await client.execute(uri: "/statistics/" + String(repeating: "5", count: 9000), method: .get, headers: bearer(Key.tier0))
            #expect(long.status == .uriTooLong)
            #expect(long.errorMessage?.hasPrefix("Request URL too long") == true)
            var headers = bearer(Key.tier0)
            headers[HTTPField.Name("X-Pad")!] = String(repeating: "a", count: 17 * 1024)
            let fat = try await client.execute(uri: "/miner-hotkeys", method: .get, headers: headers)
            #expect(fat.status == .requestHeaderFieldsTooLarge)
            let body = try await client.execute(
                uri: "/miner-hotkeys", method: .get, headers: [.contentLength: "\(65 * 1024)"],
                body: ByteBuffer(repeating: 0x20, count: 65 * 1024)
            )
            #expect(body.status == .contentTooLarge)
            let fine = try await client.execute(uri: "/statistics/" + String(repeating: "5", count: 4000), method: .get, headers: bearer(Key.tier0))
            #expect(fine.status == .notFound)
        }
    }
}
