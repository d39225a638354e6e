import Foundation
import Testing

/// Who gets a WebSocket, on the built binary: attempts without a valid key spend the address's budget shared with
/// HTTP, and PTN's protocol on the main port's `/ws`.
@Suite("End to end: WebSocket access, on its port and at /ws", .serialized, .runsProcesses)
struct WebSocketAccessEndToEndTests {
    @Test("bad keys over the WebSocket spend the address's budget shared with HTTP; past it, an error frame and the close")
    func badKeysAreRateLimited() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let (port, wsPort) = (ServerProcess.freePort(), ServerProcess.freePort())
        let process = try await ChangesEndToEndTests.serve(root, port: port, extra: ["--ws-port", "\(wsPort)", "--ip-rate-limit", "3/h"])
        defer { process.terminate() }
        #expect(await eventually(timeout: .seconds(60)) { ServerProcess.canConnect(port: wsPort) })
        let url = "ws://127.0.0.1:\(wsPort)"
        func curl(_ key: String) async throws -> String {
            try await shell("curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer \(key)' http://127.0.0.1:\(port)/miner-hotkeys", in: root.url).output
        }

        // Three attempts without a valid key (two WebSocket, one HTTP) use the budget of three. Per hour: a budget that
        // refills within the test (3/min gives one back every 20 s) passed or failed with the machine's load.
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

    /// Opens a connection to `port`, sends `text` and reports how many seconds passed until the server closed it (or
    /// "open" after 30 s).
    static let holdScript = """
        import socket, sys, time
        s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
        s.sendall(sys.argv[2].encode().decode("unicode_escape").encode())
        s.settimeout(30)
        started = time.monotonic()
        try:
            while s.recv(4096):
                pass
            print(f"{time.monotonic() - started:.1f}")
        except socket.timeout:
            print("open")
        """

    @Test("PTN's WebSocket at /ws on the main port: both protocols and the filters; plain HTTP there and elsewhere unchanged")
    func webSocketOnTheMainPort() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let port = ServerProcess.freePort()
        // No WebSocket port (the tests' default): /ws is the main port's own.
        let process = try await ChangesEndToEndTests.serve(root, port: port, extra: ["--idle-timeout", "2"])
        defer { process.terminate() }
        let url = "ws://127.0.0.1:\(port)/ws"
        let key = TestDataRoot.Key.tier100

        // PTN's 2025 protocol, narrowed to one hotkey: only that miner's change arrives, live (the first position frame
        // is B's, though A changed first).
        try? FileManager.default.removeItem(at: root.path("exchange.progress"))
        async let narrowed = WebSocketEndToEndTests.exchange(url, wait: 30, untilPosition: true, [
            "{\"api_key\": \"\(key)\", \"last_sequence\": -1}", "{\"type\": \"subscribe\", \"hotkeys\": [\"\(TestDataRoot.hotkeyB)\"]}",
        ], in: root)
        #expect(await eventually(timeout: .seconds(30)) {
            ((try? String(contentsOf: root.path("exchange.progress"), encoding: .utf8)) ?? "").count >= 2
        })
        _ = try await WebSocketEndToEndTests.touch(root, TestDataRoot.hotkeyA, position: 0, by: 0.01)
        let onlyB = try await WebSocketEndToEndTests.touch(root, TestDataRoot.hotkeyB, position: 0, by: 0.01)
        let narrow = try await narrowed
        #expect(narrow.received.first?["status"] as? String == "success", "\(narrow)")
        let live = narrow.received.compactMap { ($0["data"] as? [String: Any])?["position"] as? [String: Any] }
        #expect(live.compactMap { $0["position_uuid"] as? String } == [onlyB], "\(narrow)")

        // Vanta's 2026 protocol: the key on the upgrade, answered at once; a wrong one refused and closed.
        let header = try await WebSocketEndToEndTests.headerClient(url, authorization: "Bearer \(key)", wait: 1, in: root.url)
        #expect((header["frames"] as? [[String: Any]])?.first?["status"] as? String == "success", "\(header)")
        let wrong = try await WebSocketEndToEndTests.headerClient(url, authorization: "Bearer nope", wait: 5, in: root.url)
        #expect((wrong["frames"] as? [[String: Any]])?.first?["message"] as? String == "Invalid API key. Authentication failed.")
        #expect((wrong["ended"] as? String ?? "").hasPrefix("closed"))

        // Plain HTTP: 426 at /ws, 405 for another method; the data routes on one kept-alive connection as before.
        let plain = try await shell("curl -s -w ' %{http_code}' http://127.0.0.1:\(port)/ws", in: root.url).output
        #expect(plain.hasPrefix("{\"error\":") && plain.hasSuffix(" 426"), "\(plain)")
        let post = try await shell("curl -s -o /dev/null -w '%{http_code}' -X POST http://127.0.0.1:\(port)/ws", in: root.url).output
        #expect(post == "405")
        let two = try await shell(
            "curl -s -o /dev/null -o /dev/null -w '%{http_code} %{num_connects}\\n' -H 'Authorization: Bearer \(key)' "
                + "http://127.0.0.1:\(port)/miner-hotkeys http://127.0.0.1:\(port)/miner-hotkeys", in: root.url
        ).output
        #expect(two.split(separator: "\n") == ["200 1", "200 0"], "\(two)")

        // A connection that starts a /ws request and never finishes its head is closed at the idle timeout (2 s); so
        // is one that sends nothing.
        try Self.holdScript.write(to: root.path("hold.py"), atomically: true, encoding: .utf8)
        for start in ["GET /ws HTTP/1.1\\r\\nHost: x\\r\\n", ""] {
            let held = try await shell("python3 hold.py \(port) '\(start)'", in: root.url).output.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(Double(held).map { $0 < 10 } == true, "'\(start)': \(held)")
        }
    }
}
