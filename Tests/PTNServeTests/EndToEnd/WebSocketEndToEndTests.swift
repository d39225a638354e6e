import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// PTN's WebSocket protocol on the built binary, driven by Python clients on the `websockets` package as PTN's own
/// client is: every change in order across a restart and a `kill -9`, eviction of a key's oldest connection, the auth
/// errors, bad frames and the header key.
@Suite("End to end: PTN's WebSocket protocol", .serialized, .runsProcesses)
struct WebSocketEndToEndTests {
    struct Server {
        var process: ServerProcess
        let port: Int
        let wsPort: Int
        var url: String { "ws://127.0.0.1:\(wsPort)" }

        static func start(_ root: TestDataRoot, port: Int, wsPort: Int) async throws -> Server {
            let process = try await ChangesEndToEndTests.serve(root, port: port, extra: ["--ws-port", "\(wsPort)"])
            let listening = await eventually(timeout: .seconds(60)) { ServerProcess.canConnect(port: wsPort) }
            #expect(listening, "the WebSocket port did not open")
            return Server(process: process, port: port, wsPort: wsPort)
        }
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text)")
    }

    /// Runs `exchange.py` and returns what arrived and how the connection ended.
    /// With `untilPosition`, it ends at the first position frame (`wait` is then only a bound, not how long it lasts).
    static func exchange(
        _ url: String, wait: Double = 1, untilPosition: Bool = false, _ frames: [String], in root: TestDataRoot
    ) async throws -> (received: [[String: Any]], ended: String) {
        try WebSocketClientScripts.exchange.write(to: root.path("exchange.py"), atomically: true, encoding: .utf8)
        let arguments = frames.map { "'\($0)'" }.joined(separator: " ")
        let environment = untilPosition ? "PTN_EXCHANGE_UNTIL_POSITION=1 " : ""
        let result = try await shell("\(environment)python3 exchange.py \(url) \(wait) \(arguments)", in: root.url)
        let object = try json(result.output)
        return (object["received"] as? [[String: Any]] ?? [], object["ended"] as? String ?? "")
    }

    /// Changes `current_return` of position `index` of `hotkey` (an item_changed event) and returns its uuid.
    static func touch(_ root: TestDataRoot, _ hotkey: String, position index: Int, by delta: Double) async throws -> String {
        try await ChangesEndToEndTests.rewritePositions(root, """
            p = doc["\(hotkey)"]["positions"][\(index)]
            p["current_return"] = p["current_return"] + \(delta)
            open("touched.txt", "w").write(p["position_uuid"])
            """)
        return try String(contentsOf: root.path("touched.txt"), encoding: .utf8)
    }

    @Test("a PTN-style client gets every change in order across a kill -9 and a restart; sequences are never reused")
    func followAcrossRestarts() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let (port, wsPort) = (ServerProcess.freePort(), ServerProcess.freePort())
        var server = try await Server.start(root, port: port, wsPort: wsPort)
        let key = TestDataRoot.Key.tier100
        // Shown when an expectation fails: both sides' own account of what happened.
        var serverLogs = [String]()
        func diagnostics() -> String {
            let follower = (try? String(contentsOf: root.path("follower.log"), encoding: .utf8)) ?? "(no follower log)"
            return "\n--- follower.log\n\(follower)\n--- server logs\n" + (serverLogs + [server.process.log.text]).joined(separator: "\n--- next server\n")
        }

        try WebSocketClientScripts.follower.write(to: root.path("follower.py"), atomically: true, encoding: .utf8)
        let url = server.url
        async let followed = shell("python3 follower.py \(url) \(key) 5", in: root.url)
        let connected = await eventually(timeout: .seconds(60)) { FileManager.default.fileExists(atPath: root.path("connected").path) }
        #expect(connected, "\(diagnostics())")

        // Two changes while connected: live, each seen by the client (its saved sequence moves) before the next.
        let savedFile = root.path("client_sequence_\(key).txt")
        func saved() -> Int { (try? String(contentsOf: savedFile, encoding: .utf8)).flatMap { Int($0) } ?? -1 }
        var expected = [String]()
        for hotkey in [TestDataRoot.hotkeyA, TestDataRoot.hotkeyB] {
            let before = saved()
            expected.append(try await Self.touch(root, hotkey, position: 0, by: 0.01))
            let arrived = await eventually(timeout: .seconds(30)) { saved() > before }
            #expect(arrived, "\(diagnostics())")
        }

        // kill -9, two changes while down, a restart: the client reconnects with its last sequence and gets both. What
        // the server had numbered before the kill is read from the server itself: the client may reconnect and catch
        // up before the test looks again (it did, in a run where the test's own task waited for a core).
        let beforeKill = try #require(try await ChangesEndToEndTests.changes(port, key, "since=0&limit=1", in: root)["last_sequence"] as? Int)
        kill(server.process.process.processIdentifier, SIGKILL)
        await server.process.waitForExit()
        serverLogs.append(server.process.log.drain())
        let whileDown = [
            try await Self.touch(root, TestDataRoot.hotkeyA, position: 1, by: 0.02),
            try await Self.touch(root, TestDataRoot.hotkeyB, position: 1, by: 0.02),
        ]
        expected += whileDown
        server = try await Server.start(root, port: port, wsPort: wsPort)

        // Exactly the two changes made while down, numbered after what the first server had; the client's saved
        // sequence reaches the last of them.
        var lastPage = [[String: Any]]()
        let caughtUp = await eventually(timeout: .seconds(60)) {
            let page = try? await ChangesEndToEndTests.changes(port, key, "since=\(beforeKill)", in: root)
            lastPage = ChangesEndToEndTests.events(page ?? [:]).filter { $0["feed"] as? String == "positions" }
            return lastPage.compactMap { $0["item_key"] as? String } == whileDown && saved() == lastPage.last?["sequence"] as? Int
        }
        #expect(caughtUp, "events after \(beforeKill): \(lastPage); client saved \(saved())\(diagnostics())")
        // A clean restart (SIGTERM), then one more change: live again on the new connection.
        serverLogs.append(await server.process.stop())
        server = try await Server.start(root, port: port, wsPort: wsPort)
        defer { server.process.terminate() }
        let reconnected = await eventually(timeout: .seconds(60)) {
            ((try? String(contentsOf: root.path("connected"), encoding: .utf8)) ?? "").count >= 3
        }
        #expect(reconnected, "\(diagnostics())")
        expected.append(try await Self.touch(root, TestDataRoot.hotkeyA, position: 0, by: 0.03))

        let output = try Self.json(try await followed.output)
        let frames = output["frames"] as? [[Any]] ?? []
        let sequences = frames.compactMap { $0[0] as? Int }
        #expect(frames.compactMap { $0[1] as? String } == expected, "\(diagnostics())")
        #expect(sequences == sequences.sorted() && Set(sequences).count == sequences.count)
        let replies = output["replies"] as? [[String: Any]] ?? []
        #expect(replies.count == 3)
        #expect(replies.allSatisfy { $0["status"] as? String == "success" && $0["tier"] as? Int == 100 })
        // The epoch stays across restarts; every reconnect could replay what it missed.
        #expect(Set(replies.compactMap { $0["epoch"] as? String }).count == 1)
        #expect(replies.dropFirst().allSatisfy { $0["replay_available"] as? Bool == true })
        // The journal agrees: each of these changes has its own number, none given twice.
        let journal = try await ChangesEndToEndTests.changes(port, key, "since=0&limit=10000", in: root)
        let numbers = ChangesEndToEndTests.events(journal).compactMap { $0["sequence"] as? Int }
        #expect(Set(numbers).count == numbers.count)
        #expect(Set(sequences).isSubset(of: Set(numbers)))
    }

    /// Runs `header_client.py` (Vanta's 2026 client) and returns what it printed.
    static func headerClient(_ url: String, authorization: String, count: Int = 0, wait: Double = 5, deflate: Bool = true, in folder: URL) async throws -> [String: Any] {
        try WebSocketClientScripts.headerClient.write(to: folder.appendingPathComponent("header_client.py"), atomically: true, encoding: .utf8)
        let environment = deflate ? "" : "PTN_WS_NO_DEFLATE=1 "
        let result = try await shell("\(environment)python3 header_client.py \(url) '\(authorization)' \(count) \(wait)", in: folder)
        return try json(result.output)
    }

    @Test("Vanta's 2026 client: key on the upgrade, nothing sent; success at once, then the demo's changes; bad headers closed; permessage-deflate")
    func headerClientOnTheDemo() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ptn-serve-ws-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (port, wsPort) = (ServerProcess.freePort(), ServerProcess.freePort())
        let server = try await ServerProcess.start(
            ["demo", "--out", folder.path, "--port", "\(port)", "--ws-port", "\(wsPort)", "--metrics-port", "0", "--tick", "3"], port: port
        )
        defer { server.terminate() }
        let banner = await server.output(until: "Stop with Ctrl-C.")
        var keys = [Int: String]()
        for line in banner.split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.count == 4, words[0] == "tier", let tier = Int(words[1]) { keys[tier] = String(words[2]) }
        }
        let key100 = try #require(keys[100])
        let key30 = try #require(keys[30])
        #expect(await eventually(timeout: .seconds(60)) { ServerProcess.canConnect(port: wsPort) })
        let url = "ws://127.0.0.1:\(wsPort)"

        // The header, then nothing: the success reply at once, then position frames as the simulated validator writes.
        // Up to 25 s between frames: a tick's version is written, loaded and diffed by a debug build on a busy machine.
        let follower = try await Self.headerClient(url, authorization: "Bearer \(key100)", count: 2, wait: 25, in: folder)
        let frames = follower["frames"] as? [[String: Any]] ?? []
        let success = try #require(frames.first, "\(follower)")
        #expect(success["status"] as? String == "success" && success["message"] as? String == "Authentication successful.")
        #expect(success["tier"] as? Int == 100 && success["current_sequence"] as? Int != nil)
        #expect(success["subscribed_subaccounts"] as? [Any] != nil && success["hl_mappings"] as? [String: Any] != nil)
        #expect((follower["first_after"] as? Double ?? 99) < 1, "\(follower["first_after"] ?? "none")")
        let positions = frames.dropFirst().compactMap { ($0["data"] as? [String: Any])?["position"] as? [String: Any] }
        #expect(positions.count == 2, "\(frames.count) frames")
        #expect(positions.allSatisfy { !($0["orders"] as? [Any] ?? []).isEmpty })
        let sequences = frames.compactMap { $0["sequence"] as? Int }
        #expect(sequences == sequences.sorted() && sequences.allSatisfy { $0 > success["current_sequence"] as? Int ?? .max })
        // permessage-deflate when the client offers it, with Vanta's 4 KiB windows; plain frames when it does not.
        let extensions = follower["extensions"] as? String ?? ""
        #expect(extensions.hasPrefix("permessage-deflate") && extensions.contains("server_max_window_bits=12"), "\(extensions)")
        let plain = try await Self.headerClient(url, authorization: "Bearer \(key100)", wait: 1, deflate: false, in: folder)
        #expect(plain["extensions"] is NSNull)
        #expect((plain["frames"] as? [[String: Any]])?.first?["status"] as? String == "success")

        // A wrong header: the error frame, then the close; nothing waits for an auth frame.
        for (authorization, message) in [
            ("Bearer not-a-key", "Invalid API key. Authentication failed."),
            ("Basic ZGVtbzpkZW1v", "Authentication required. Provide API key in Authorization: Bearer header."),
            ("Bearer \(key30)", "WebSocket connections require tier 100 access. Please upgrade your API key."),
        ] {
            let refused = try await Self.headerClient(url, authorization: authorization, wait: 10, in: folder)
            let first = (refused["frames"] as? [[String: Any]])?.first
            #expect(first?["status"] as? String == "error" && first?["message"] as? String == message, "\(refused)")
            #expect((refused["ended"] as? String ?? "").hasPrefix("closed"), "\(refused)")
            #expect(((refused["frames"] as? [Any])?.count ?? 0) == 1)
        }
        // The log does not give away what was tried as a key.
        #expect(!server.log.text.contains("not-a-key"))
    }

    @Test("auth errors as PTN words them; the 6th connection of a key evicts the oldest; bad frames harm no one")
    func protocolEdges() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let (port, wsPort) = (ServerProcess.freePort(), ServerProcess.freePort())
        let server = try await Server.start(root, port: port, wsPort: wsPort)
        defer { server.process.terminate() }
        let url = server.url

        let noKey = try await Self.exchange(url, [#"{"last_sequence": -1}"#], in: root)
        #expect(noKey.received.first?["message"] as? String == "Authentication required. Please provide an API key.")
        #expect(noKey.ended.hasPrefix("closed"))
        let badKey = try await Self.exchange(url, [#"{"api_key": "nope", "last_sequence": -1}"#], in: root)
        #expect(badKey.received.first?["message"] as? String == "Invalid API key. Authentication failed.")
        let lowTier = try await Self.exchange(url, ["{\"api_key\": \"\(TestDataRoot.Key.tier30)\", \"last_sequence\": -1}"], in: root)
        #expect(lowTier.received.first?["code"] as? String == "INSUFFICIENT_TIER")
        #expect(lowTier.received.first?["message"] as? String == "WebSocket connections require tier 100 access. Please upgrade your API key.")
        let notJSON = try await Self.exchange(url, ["hello"], in: root)
        #expect(notJSON.received.isEmpty && notJSON.ended.hasPrefix("closed"))

        // A legacy key (tier 100) authenticates; subscribe, ping and unsubscribe are answered; bad frames are ignored
        // and the connection goes on.
        let auth = "{\"api_key\": \"\(TestDataRoot.Key.legacy)\", \"last_sequence\": -1}"
        let session = try await Self.exchange(url, [
            auth, "not json", "BINARY", #"{"type": "dance"}"#, #"{"type": "subscribe", "all": true, "sender_timestamp": 17}"#,
            #"{"type": "ping", "timestamp": 42}"#, #"{"type": "unsubscribe", "all": true}"#,
        ], in: root)
        #expect(session.ended == "open")
        #expect(session.received.count == 4)
        #expect(session.received.first?["status"] as? String == "success")
        #expect(session.received.first?["message"] as? String == "Authentication successful.")
        #expect(session.received.first?["current_sequence"] as? Int != nil)
        let subscribed = session.received.dropFirst().first ?? [:]
        #expect(subscribed["type"] as? String == "subscription_status" && subscribed["action"] as? String == "subscribe")
        #expect(subscribed["sender_timestamp"] as? Int == 17 && subscribed["received_timestamp"] as? Int != nil)
        let pong = session.received.dropFirst(2).first ?? [:]
        #expect(pong["type"] as? String == "pong" && pong["client_timestamp"] as? Int == 42)
        #expect(session.received.last?["action"] as? String == "unsubscribe")

        // The key from the upgrade request's header; a control message first.
        let header = try await Self.exchange(url, ["HEADER:\(TestDataRoot.Key.tier100)", #"{"type": "ping"}"#], in: root)
        #expect(header.received.map { $0["status"] as? String ?? $0["type"] as? String } == ["success", "pong"])
        // A plain GET on the WebSocket port gets 426, with how to connect.
        let plain = try await shell("curl -s -w ' %{http_code}' http://127.0.0.1:\(wsPort)/any/path", in: root.url).output
        #expect(plain.hasSuffix(" 426") && plain.hasPrefix("{\"error\":"))

        // Six connections of one key: the first is told and closed, the other five stay.
        try WebSocketClientScripts.crowd.write(to: root.path("crowd.py"), atomically: true, encoding: .utf8)
        let crowd = try await shell("python3 crowd.py \(url) \(TestDataRoot.Key.tier100) 6", in: root.url)
        let connections = try JSONSerialization.jsonObject(with: Data(crowd.output.utf8)) as? [[String: Any]] ?? []
        #expect(connections.count == 6)
        let firstFrames = connections.first?["frames"] as? [[String: Any]] ?? []
        #expect(firstFrames.first?["code"] as? String == "MAX_CONNECTIONS_EXCEEDED")
        #expect(firstFrames.first?["message"] as? String == "Disconnected due to too many connections for this API key")
        #expect(connections.first?["closed"] as? Bool == true)
        #expect(connections.dropFirst().allSatisfy { $0["closed"] as? Bool == false && ($0["frames"] as? [Any])?.isEmpty == true })
    }

    @Test("a subscriber that falls behind is told where to resume and closed; resuming there loses nothing")
    func slowSubscriber() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let (port, wsPort) = (ServerProcess.freePort(), ServerProcess.freePort())
        // A lag limit of one event: a version with 146 changes, yielded in one go, overruns it (unless the session's
        // writes keep pace with every one of them, which they do not).
        let process = try await ChangesEndToEndTests.serve(root, port: port, extra: ["--ws-port", "\(wsPort)", "--feed-lag-limit", "1"])
        defer { process.terminate() }
        #expect(await eventually(timeout: .seconds(60)) { ServerProcess.canConnect(port: wsPort) })
        let url = "ws://127.0.0.1:\(wsPort)"
        let key = TestDataRoot.Key.tier100
        try? FileManager.default.removeItem(at: root.path("exchange.progress"))
        async let slow = Self.exchange(url, wait: 5, [
            "{\"api_key\": \"\(key)\", \"last_sequence\": -1}", #"{"type": "subscribe", "all": true}"#,
        ], in: root)
        #expect(await eventually(timeout: .seconds(30)) {
            ((try? String(contentsOf: root.path("exchange.progress"), encoding: .utf8)) ?? "").count >= 2
        })
        try await ChangesEndToEndTests.rewritePositions(root, """
            for miner in doc.values():
                for p in miner["positions"]:
                    p["current_return"] = p["current_return"] + 0.01
            """)
        let cut = try await slow
        let last = try #require(cut.received.last)
        #expect(last["code"] as? String == "TOO_SLOW")
        #expect(cut.ended.hasPrefix("closed"))
        let resumeAfter = try #require(last["resume_after"] as? Int)
        let delivered = cut.received.compactMap { $0["sequence"] as? Int }
        #expect(delivered.allSatisfy { $0 <= resumeAfter })
        // Reconnecting with last_sequence = resume_after replays the rest of the version's changes, none twice.
        let resumed = try await Self.exchange(url, ["{\"api_key\": \"\(key)\", \"last_sequence\": \(resumeAfter)}"], in: root)
        let replayed = resumed.received.compactMap { $0["sequence"] as? Int }
        #expect(delivered.count + replayed.count == 146, "\(delivered.count) then \(replayed.count)")
        #expect(replayed.allSatisfy { $0 > resumeAfter })
        #expect(Set(delivered + replayed).count == 146)
    }

    @Test("with TLS on the main port, the WebSocket port speaks wss:// with the same certificate")
    func secureWebSocket() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let tls = try await TLSTests.makeCertificate(in: root.url, name: "ws-test")
        let (port, wsPort) = (ServerProcess.freePort(), ServerProcess.freePort())
        let server = try await ServerProcess.start([
            "serve", "--data-dir", root.url.path, "--port", "\(port)", "--ws-port", "\(wsPort)", "--state-dir", root.path("state").path,
            "--tls-cert", tls.certificatePath, "--tls-key", tls.privateKeyPath,
        ], port: port)
        defer { server.terminate() }
        let listening = await eventually(timeout: .seconds(60)) { ServerProcess.canConnect(port: wsPort) }
        #expect(listening)
        try WebSocketClientScripts.exchange.write(to: root.path("exchange.py"), atomically: true, encoding: .utf8)
        let auth = "'{\"api_key\": \"\(TestDataRoot.Key.tier100)\", \"last_sequence\": -1}'"
        let result = try await shell(
            "PTN_TEST_CA='\(tls.certificatePath)' python3 exchange.py wss://127.0.0.1:\(wsPort) 1 \(auth)", in: root.url
        )
        let received = try Self.json(result.output)["received"] as? [[String: Any]] ?? []
        #expect(received.first?["status"] as? String == "success", "\(result.output)")
        // Plain ws:// to the TLS port gets no WebSocket.
        let plain = try await shell("python3 exchange.py ws://127.0.0.1:\(wsPort) 1 \(auth)", in: root.url)
        #expect(plain.status != 0)
    }

    @Test("a resuming client gets the replay after its sequence; one from before the journal is told replay is unavailable")
    func replayAndNarrowing() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let (port, wsPort) = (ServerProcess.freePort(), ServerProcess.freePort())
        let server = try await Server.start(root, port: port, wsPort: wsPort)
        defer { server.process.terminate() }
        let key = TestDataRoot.Key.tier100
        let start = try #require(try await ChangesEndToEndTests.changes(port, key, "since=0", in: root)["last_sequence"] as? Int)
        let touchedA = try await Self.touch(root, TestDataRoot.hotkeyA, position: 0, by: 0.01)
        let touchedB = try await Self.touch(root, TestDataRoot.hotkeyB, position: 0, by: 0.01)
        let published = await eventually(timeout: .seconds(30)) {
            let page = try? await ChangesEndToEndTests.changes(port, key, "since=\(start)", in: root)
            return ChangesEndToEndTests.events(page ?? [:]).count == 2
        }
        #expect(published)

        // Resuming after `start`: both, in order, right after the success reply, without subscribing.
        let resumed = try await Self.exchange(server.url, ["{\"api_key\": \"\(key)\", \"last_sequence\": \(start)}"], in: root)
        #expect(resumed.received.first?["replay_available"] as? Bool == true)
        let replayed = resumed.received.dropFirst().compactMap { ($0["data"] as? [String: Any])?["position"] as? [String: Any] }
        #expect(replayed.compactMap { $0["position_uuid"] as? String } == [touchedA, touchedB])
        #expect(resumed.received.dropFirst().compactMap { $0["sequence"] as? Int } == [start + 1, start + 2])

        // A client that gives its key on the upgrade and then PTN's auth frame with its sequence: answered at once, then
        // for the frame, with the changes it missed replayed.
        let both = try await Self.exchange(
            server.url, ["HEADER:\(key)", "{\"api_key\": \"\(key)\", \"last_sequence\": \(start)}"], in: root
        )
        #expect(both.received.prefix(2).map { $0["status"] as? String } == ["success", "success"])
        #expect(both.received.first?["replay_available"] == nil && both.received.dropFirst().first?["replay_available"] as? Bool == true)
        #expect(both.received.dropFirst(2).compactMap { $0["sequence"] as? Int } == [start + 1, start + 2])

        // From another epoch: told, with where the history starts; nothing replayed.
        let stranger = try await Self.exchange(
            server.url, ["{\"api_key\": \"\(key)\", \"last_sequence\": 1, \"epoch\": \"another-history\"}"], in: root
        )
        #expect(stranger.received.first?["status"] as? String == "success")
        #expect(stranger.received.first?["replay_available"] as? Bool == false)
        #expect(stranger.received.first?["first_sequence"] as? Int != nil)
        #expect(stranger.received.count == 1)

        // A subscription narrowed to one hotkey gets only that miner's changes, live.
        try? FileManager.default.removeItem(at: root.path("exchange.progress"))
        async let narrowed = Self.exchange(server.url, wait: 10, [
            "{\"api_key\": \"\(key)\", \"last_sequence\": -1}",
            "{\"type\": \"subscribe\", \"hotkeys\": [\"\(TestDataRoot.hotkeyB)\"]}",
        ], in: root)
        let subscribed = await eventually(timeout: .seconds(30)) {
            ((try? String(contentsOf: root.path("exchange.progress"), encoding: .utf8)) ?? "").count >= 2
        }
        #expect(subscribed)
        _ = try await Self.touch(root, TestDataRoot.hotkeyA, position: 1, by: 0.01)
        let onlyB = try await Self.touch(root, TestDataRoot.hotkeyB, position: 1, by: 0.01)
        let narrow = try await narrowed
        #expect(narrow.received.dropFirst().first?["hotkeys"] as? [String] == [TestDataRoot.hotkeyB])
        let live = narrow.received.compactMap { ($0["data"] as? [String: Any])?["position"] as? [String: Any] }
        #expect(live.compactMap { $0["position_uuid"] as? String } == [onlyB])
    }
}
