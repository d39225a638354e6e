import Foundation
import Testing

/// What the stream carries beyond added and changed positions, on the built binary: a miner's own members changing
/// (`entry_changed`), and removed positions reaching the followers of their trade pair, over `/changes`, `/events` and
/// PTN's WebSocket.
@Suite("End to end: entry changes and removals on every transport", .serialized, .runsProcesses)
struct StreamGapsEndToEndTests {
    @Test("a miner's returns alone give entry_changed; a removed position reaches its pair's followers, on the WebSocket as a removed frame")
    func entryChangesAndRemovals() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let (port, wsPort) = (ServerProcess.freePort(), ServerProcess.freePort())
        let server = try await WebSocketEndToEndTests.Server.start(root, port: port, wsPort: wsPort)
        defer { server.process.terminate() }
        let key = TestDataRoot.Key.tier100
        let hotkey = TestDataRoot.hotkeyA
        let start = try #require(try await ChangesEndToEndTests.changes(port, key, "since=0", in: root)["last_sequence"] as? Int)

        // The pair of the position about to be removed, read before the rewrite: the WebSocket follower of that pair
        // subscribes to it.
        try await ChangesEndToEndTests.rewritePositions(root, """
            p = doc["\(hotkey)"]["positions"][1]
            json.dump({"removed": p["position_uuid"], "pair": p["trade_pair"][0]}, open("expected.json", "w"))
            """)
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: root.path("expected.json"))) as? [String: String] ?? [:]
        let (removed, pair) = (try #require(expected["removed"]), try #require(expected["pair"]))

        // Two WebSocket followers, each in its own folder (the client notes its progress there): one of the pair, as
        // PTN's client of 2025 speaks (no entry frames asked); one of everything that asks for entry frames.
        let auth = "{\"api_key\": \"\(key)\", \"last_sequence\": -1}"
        let pairFolder = root.path("pair"), entryFolder = root.path("entries")
        for folder in [pairFolder, entryFolder] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try WebSocketClientScripts.exchange.write(to: folder.appendingPathComponent("exchange.py"), atomically: true, encoding: .utf8)
        }
        async let pairFollower = shell(
            "python3 exchange.py \(server.url) 5 '\(auth)' '{\"type\": \"subscribe\", \"trade_pairs\": [\"\(pair)\"]}'", in: pairFolder
        )
        async let entryFollower = shell(
            "python3 exchange.py \(server.url) 5 '\(auth)' '{\"type\": \"subscribe\", \"all\": true, \"entry_changes\": true}'", in: entryFolder
        )
        func progress(_ folder: URL) -> Int {
            ((try? String(contentsOf: folder.appendingPathComponent("exchange.progress"), encoding: .utf8)) ?? "").count
        }
        #expect(await eventually(timeout: .seconds(30)) { progress(pairFolder) >= 2 && progress(entryFolder) >= 2 })

        // One version: the miner's all_time_returns changes, one of its positions is removed, the others untouched.
        try await ChangesEndToEndTests.rewritePositions(root, """
            m = doc["\(hotkey)"]
            m["all_time_returns"] = m["all_time_returns"] + 0.5
            m["positions"] = [p for p in m["positions"] if p["position_uuid"] != "\(removed)"]
            """)
        var page = [String: Any]()
        #expect(try await eventually(timeout: .seconds(30)) {
            page = try await ChangesEndToEndTests.changes(port, key, "since=\(start)", in: root)
            return ChangesEndToEndTests.events(page).count == 2
        }, "\(page)")
        let events = ChangesEndToEndTests.events(page).filter { $0["feed"] as? String == "positions" }
        let removal = try #require(events.first { $0["kind"] as? String == "item_removed" }, "\(events)")
        #expect(removal["item_key"] as? String == removed && removal["trade_pair"] as? String == pair && removal["key"] as? String == hotkey)
        let entry = try #require(events.first { $0["kind"] as? String == "entry_changed" }, "\(events)")
        #expect(entry["key"] as? String == hotkey && entry["changed"] as? [String] == ["all_time_returns"])
        #expect((entry["members"] as? [String: Any])?["all_time_returns"] as? Double != nil)

        // The pair's followers get the removal: /changes and /events filtered by it.
        let byPair = ChangesEndToEndTests.events(try await ChangesEndToEndTests.changes(port, key, "since=\(start)&trade_pairs=\(pair)", in: root))
        #expect(byPair.map { $0["kind"] as? String } == ["item_removed"])
        try ChangesEndToEndTests.sseScript.write(to: root.path("sse.py"), atomically: true, encoding: .utf8)
        let sse = try await shell("PTN_SSE_QUERY='trade_pairs=\(pair)' python3 sse.py \(port) \(key) 1 \(start)", in: root.url)
        let streamed = try JSONSerialization.jsonObject(with: Data(sse.output.utf8)) as? [[Any]] ?? []
        #expect(streamed.filter { $0[0] is String }.compactMap { $0[1] as? String } == ["item_removed"], "\(sse.output)")

        // The WebSocket: the pair's follower gets the removed frame only; the one that asked gets the entry frame too.
        let pairFrames = try WebSocketEndToEndTests.json(try await pairFollower.output)["received"] as? [[String: Any]] ?? []
        let broadcasts = pairFrames.filter { $0["sequence"] != nil }
        #expect(broadcasts.count == 1, "\(pairFrames)")
        let data = broadcasts.first?["data"] as? [String: Any] ?? [:]
        #expect(data["removed"] as? Bool == true)
        let stub = data["position"] as? [String: Any] ?? [:]
        #expect(stub["position_uuid"] as? String == removed && stub["miner_hotkey"] as? String == hotkey)
        #expect(stub["trade_pair"] as? [String] == [pair])
        let entryFrames = try WebSocketEndToEndTests.json(try await entryFollower.output)["received"] as? [[String: Any]] ?? []
        #expect(entryFrames.dropFirst().first?["entry_changes"] as? Bool == true, "\(entryFrames)")
        let entryData = entryFrames.compactMap { ($0["data"] as? [String: Any])?["entry"] as? [String: Any] }
        #expect(entryData.count == 1 && entryData.first?["miner_hotkey"] as? String == hotkey, "\(entryFrames)")
        #expect(entryData.first?["changed"] as? [String] == ["all_time_returns"])
        #expect(entryFrames.contains { ($0["data"] as? [String: Any])?["removed"] as? Bool == true })
    }
}
