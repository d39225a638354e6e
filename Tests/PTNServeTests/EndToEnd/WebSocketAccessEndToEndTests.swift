import Foundation
import Testing

/// Who gets a WebSocket, on the built binary: attempts without a valid key spend the address's budget shared with
/// HTTP, and PTN's protocol on the main port's `/ws`.
@Suite("End to end: WebSocket access, on its port and at /ws", .serialized)
struct WebSocketAccessEndToEndTests {
    @Test("bad keys over the WebSocket spend the address's budget shared with HTTP; past it, an error frame and the close")
    func badKeysAreRateLimited() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let (port, wsPort) = (ServerProcess.freePort(), ServerProcess.freePort())
        let process = try await ChangesEndToEndTests.serve(root, port: port, extra: ["--ws-port", "\(wsPort)", "--ip-rate-limit", "3/min"])
        defer { process.stop() }
        #expect(await eventually(timeout: .seconds(60)) { ServerProcess.canConnect(port: wsPort) })
        let url = "ws://127.0.0.1:\(wsPort)"
        func curl(_ key: String) async throws -> String {
            try await shell("curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer \(key)' http://127.0.0.1:\(port)/miner-hotkeys", in: root.url).output
        }

        // Three attempts without a valid key (two WebSocket, one HTTP) use the budget of three.
        for frame in [#"{"api_key": "guess-1", "last_sequence": -1}"#, #"{"last_sequence": -1}"#] {
            let refused = try await WebSocketEndToEndTests.exchange(url, [frame], in: root)
            #expect(refused.received.first?["status"] as? String == "error" && refused.received.first?["code"] == nil, "\(refused)")
        }
        #expect(try await curl("guess-2") == "401")
        // Past it, on either transport: the rate-limit error frame, then the close; 429 over HTTP.
        for frames in [[#"{"api_key": "guess-3", "last_sequence": -1}"#], ["HEADER:guess-4"], ["not json"]] {
            let cut = try await WebSocketEndToEndTests.exchange(url, wait: 10, frames, in: root)
            #expect(cut.received.count == 1 && cut.received.first?["code"] as? String == "RATE_LIMITED", "\(cut)")
            #expect((cut.received.first?["retry_after"] as? Int ?? 0) >= 1)
            #expect(cut.ended.hasPrefix("closed"), "\(cut)")
        }
        #expect(try await curl("guess-5") == "429")
        // A valid key from the same address is not held back, on either transport.
        let valid = try await WebSocketEndToEndTests.exchange(url, ["{\"api_key\": \"\(TestDataRoot.Key.tier100)\", \"last_sequence\": -1}"], in: root)
        #expect(valid.received.first?["status"] as? String == "success" && valid.ended == "open")
        #expect(try await curl(TestDataRoot.Key.tier100) == "200")
        // What was tried as a key is never logged.
        #expect(!process.log.text.contains("guess-"))
    }
}
