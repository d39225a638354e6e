import Foundation
import Testing

/// Open streams held to their key's plan, through the built binary: an SSE follower (`curl -N`) and a WebSocket
/// session (the `websockets` package) of keys with a small byte quota are closed with the quota's message once their
/// frames use it up; an expiring key's streams are closed at its expiry.
@Suite("End to end: open streams closed by the byte quota and by expiry", .serialized, .runsProcesses)
struct StreamPlansEndToEndTests {
    static let quota = 2_000

    static func keyFile(expiring: String? = nil) -> String {
        var entries = [
            #""alice": {"key": "\#(TestDataRoot.Key.tier100)", "tier": 100}"#,
            #""sse-meter": {"key": "k-sse-meter", "tier": 100, "quota": {"bytes": \#(quota), "period": "day"}}"#,
            #""ws-meter": {"key": "k-ws-meter", "tier": 100, "quota": {"bytes": \#(quota), "period": "day"}}"#,
        ]
        if let expiring { entries.append(#""soon": {"key": "k-soon", "tier": 100, "expires": "\#(expiring)"}"#) }
        return "{" + entries.joined(separator: ",\n") + "}"
    }

    /// An SSE follower of `key`, writing what it receives to `file`; it exits when the server ends the stream.
    static func follow(_ key: String, port: Int, into file: String, in root: TestDataRoot) throws -> Process {
        try background("curl -sN -H 'Authorization: Bearer \(key)' http://127.0.0.1:\(port)/events > \(file) 2>&1", in: root.url)
    }

    static func read(_ root: TestDataRoot, _ name: String) -> String { (try? String(contentsOf: root.path(name), encoding: .utf8)) ?? "" }

    @Test("SSE and WebSocket streams of byte-quota keys end with the quota's message once frames use it up; expiry ends both",
          .timeLimit(.minutes(4)))
    func streamsEndByPlan() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try root.write("ptn_api/api_keys.json", Self.keyFile())
        let (port, wsPort) = (ServerProcess.freePort(), ServerProcess.freePort())
        let server = try await WebSocketEndToEndTests.Server.start(root, port: port, wsPort: wsPort)
        defer { server.process.terminate() }
        func diagnostics() -> String {
            "\n--- sse.txt\n\(Self.read(root, "sse.txt"))\n--- server\n\(server.process.log.text)"
        }

        // Byte quotas: one follower of each transport, then changes until both are closed.
        let sse = try Self.follow("k-sse-meter", port: port, into: "sse.txt", in: root)
        defer { if sse.isRunning { sse.terminate() } }
        try WebSocketClientScripts.exchange.write(to: root.path("exchange.py"), atomically: true, encoding: .utf8)
        // Open until the server closes it (the changes below are driven until then), on a busy machine too.
        let socket = try background("python3 exchange.py \(server.url) 180 HEADER:k-ws-meter > socket.json", in: root.url)
        defer { if socket.isRunning { socket.terminate() } }
        #expect(await eventually(timeout: .seconds(30)) {
            Self.read(root, "sse.txt").contains("event: hello") && !Self.read(root, "exchange.progress").isEmpty
        }, "\(diagnostics())")
        // One change at a time, each seen by both clients (or after they ended), until both are closed.
        var touches = 0
        while sse.isRunning || socket.isRunning, touches < 8 {
            let sseBefore = Self.read(root, "sse.txt").components(separatedBy: "event: item_changed").count
            let socketBefore = Self.read(root, "exchange.progress").count
            _ = try await WebSocketEndToEndTests.touch(root, touches % 2 == 0 ? TestDataRoot.hotkeyA : TestDataRoot.hotkeyB, position: 0, by: 0.01)
            touches += 1
            _ = await eventually(timeout: .seconds(20)) {
                (Self.read(root, "sse.txt").components(separatedBy: "event: item_changed").count > sseBefore || !sse.isRunning)
                    && (Self.read(root, "exchange.progress").count > socketBefore || !socket.isRunning)
            }
        }
        let ended = await eventually(timeout: .seconds(10)) { !sse.isRunning && !socket.isRunning }
        #expect(ended, "a stream stayed open\(diagnostics())")
        let text = Self.read(root, "sse.txt")
        let frames = text.components(separatedBy: "event: item_changed").count - 1
        #expect(frames >= 2, "\(diagnostics())")
        let last = try #require(text.components(separatedBy: "event: refused\ndata: ").last, "\(diagnostics())")
        let refused = try WebSocketEndToEndTests.json(String(last.prefix { $0 != "\n" }))
        #expect(refused["reason"] as? String == "QUOTA_EXCEEDED")
        #expect((refused["message"] as? String)?.hasPrefix("Daily byte quota of 2 kB used up; it refills at ") == true, "\(refused)")
        #expect(refused["status"] as? Int == 429)

        let result = try WebSocketEndToEndTests.json(Self.read(root, "socket.json"))
        let received = result["received"] as? [[String: Any]] ?? []
        #expect(received.filter { $0["sequence"] != nil }.count >= 2, "\(result)")
        #expect(received.last?["code"] as? String == "QUOTA_EXCEEDED", "\(result)")
        #expect((received.last?["message"] as? String)?.hasPrefix("Daily byte quota of 2 kB used up") == true)
        #expect(result["ended"] as? String == "closed 1008", "\(result)")

        // The frames' bytes are the key's usage, and a new stream is refused until the quota refills.
        let usage = try await shell("curl -s -H 'Authorization: Bearer k-sse-meter' http://127.0.0.1:\(port)/usage", in: root.url)
        let statement = try WebSocketEndToEndTests.json(usage.output)
        let bytes = ((statement["quota"] as? [String: Any])?["bytes"] as? [String: Any])?["used"] as? Int ?? 0
        #expect(bytes >= Self.quota, "\(statement)")
        let again = try await shell(
            "curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer k-sse-meter' http://127.0.0.1:\(port)/events", in: root.url
        )
        #expect(again.output == "429")

        // Expiry: a key that expires a few seconds after it is in force; both its streams end then.
        let formatter = ISO8601DateFormatter()
        let expires = Date().addingTimeInterval(10).rounded()
        try root.write("ptn_api/api_keys.json", Self.keyFile(expiring: formatter.string(from: expires)))
        #expect(await eventually(timeout: .seconds(10)) {
            let status = try? await shell("curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer k-soon' http://127.0.0.1:\(port)/usage", in: root.url)
            return status?.output == "200"
        })
        let expiring = try Self.follow("k-soon", port: port, into: "soon.txt", in: root)
        defer { if expiring.isRunning { expiring.terminate() } }
        try? FileManager.default.removeItem(at: root.path("exchange.progress"))
        async let soonSocket = shell("python3 exchange.py \(server.url) 60 HEADER:k-soon", in: root.url)
        #expect(await eventually(timeout: .seconds(30)) { !expiring.isRunning }, "\(Self.read(root, "soon.txt"))")
        #expect(Date() >= expires)
        #expect(Self.read(root, "soon.txt").contains("event: refused\ndata: {\"reason\":\"API_KEY_EXPIRED\",\"message\":\"API key expired\",\"status\":403"))
        let soon = try WebSocketEndToEndTests.json(try await soonSocket.output)
        let soonFrames = soon["received"] as? [[String: Any]] ?? []
        #expect(soonFrames.first?["status"] as? String == "success", "\(soon)")
        #expect(soonFrames.last?["code"] as? String == "API_KEY_EXPIRED" && soonFrames.last?["message"] as? String == "API key expired")
        #expect(soon["ended"] as? String == "closed 1008", "\(soon)")
        #expect(!server.process.log.text.contains("k-soon") && !server.process.log.text.contains("k-sse-meter"))
    }
}

extension Date {
    /// To the whole second (the key file's times have none).
    fileprivate func rounded() -> Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.up)) }
}
