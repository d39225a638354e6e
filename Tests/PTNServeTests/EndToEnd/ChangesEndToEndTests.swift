import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The change feed of the built binary, driven as a client would: python for `/changes` and for reading `/events`
/// (resuming with `Last-Event-ID`), curl for the raw stream; restarts with SIGTERM and `kill -9`.
@Suite("End to end: /changes and /events across rewrites and restarts", .serialized, .runsProcesses)
struct ChangesEndToEndTests {
    /// Prints `/changes?<query>` as JSON.
    static let changesScript = """
        import json, sys, urllib.request
        port, key, query = sys.argv[1], sys.argv[2], sys.argv[3]
        request = urllib.request.Request(f"http://127.0.0.1:{port}/changes?{query}", headers={"Authorization": f"Bearer {key}"})
        print(urllib.request.urlopen(request, timeout=20).read().decode())
        """

    /// Reads `/events` until `count` events with an id have arrived (or 30 s pass); prints them as a JSON list of
    /// [id, event, data]. A fourth argument is sent as `Last-Event-ID`; PTN_SSE_QUERY, if set, is the query string.
    static let sseScript = """
        import json, os, sys, urllib.request
        port, key, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
        headers = {"Authorization": f"Bearer {key}"}
        if len(sys.argv) > 4: headers["Last-Event-ID"] = sys.argv[4]
        query = os.environ.get("PTN_SSE_QUERY", "")
        url = f"http://127.0.0.1:{port}/events" + (f"?{query}" if query else "")
        stream = urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30)
        events, current = [], {}
        for raw in stream:
            line = raw.decode().rstrip("\\n")
            if line == "":
                if "event" in current: events.append([current.get("id"), current["event"], json.loads(current["data"])])
                current = {}
                if len([e for e in events if e[0] is not None]) >= count: break
            elif not line.startswith(":"):
                name, _, value = line.partition(": ")
                current[name] = current.get(name, "") + value if name == "data" else value
        print(json.dumps(events))
        """

    /// Rewrites output.json as PTN would (compact entries, atomic rename): `edit` is python acting on `doc` (the
    /// parsed document, miner order kept). Untouched miners keep their exact bytes.
    static func rewritePositions(_ root: TestDataRoot, _ edit: String) async throws {
        let script = """
            import json, os
            path = "validation/outputs/output.json"
            doc = json.load(open(path))
            \(edit)
            text = "{" + ", ".join(json.dumps(k) + ": " + json.dumps(v, separators=(",", ":")) for k, v in doc.items()) + "}"
            open(path + ".tmp", "w").write(text)
            os.rename(path + ".tmp", path)
            """
        try script.write(to: root.path("edit.py"), atomically: true, encoding: .utf8)
        let result = try await shell("python3 edit.py", in: root.url)
        #expect(result.status == 0, "\(result.output)")
    }

    static func changes(_ port: Int, _ key: String, _ query: String, in root: TestDataRoot) async throws -> [String: Any] {
        try changesScript.write(to: root.path("changes.py"), atomically: true, encoding: .utf8)
        let result = try await shell("python3 changes.py \(port) \(key) '\(query)'", in: root.url)
        return try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any] ?? [:]
    }

    static func events(_ page: [String: Any]) -> [[String: Any]] { page["events"] as? [[String: Any]] ?? [] }

    static func serve(_ root: TestDataRoot, port: Int, extra: [String] = []) async throws -> ServerProcess {
        try await ServerProcess.start(
            ["serve", "--data-dir", root.url.path, "--port", "\(port)", "--state-dir", root.path("state").path] + extra, port: port
        )
    }

    @Test("a rewrite yields position events; /changes pages; SSE resumes; kill -9 and restarts keep the sequence; a lost journal starts a new epoch")
    func positionsAcrossRestarts() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let port = ServerProcess.freePort()
        let key = TestDataRoot.Key.tier100
        var server = try await Self.serve(root, port: port)

        // A new journal: each followed file's first version is announced once.
        let first = try await Self.changes(port, key, "since=0", in: root)
        let epoch = try #require(first["epoch"] as? String)
        let start = try #require(first["last_sequence"] as? Int)
        #expect(Self.events(first).allSatisfy { $0["kind"] as? String == "new_version" })
        #expect(Self.events(first).contains { $0["feed"] as? String == "positions" })

        // A follower resuming after `start`, started before the rewrite: it gets the events live (or replayed, if it
        // connects late), in order either way.
        try Self.sseScript.write(to: root.path("sse.py"), atomically: true, encoding: .utf8)
        async let live = shell("python3 sse.py \(port) \(key) 3 \(start)", in: root.url)

        let hotkeyA = TestDataRoot.hotkeyA
        try await Self.rewritePositions(root, """
            a = doc["\(hotkeyA)"]["positions"]
            a[0]["current_return"] = a[0]["current_return"] + 0.01
            removed = a.pop(1)
            added = dict(a[1]); added["position_uuid"] = "00000000-e2e0-4000-8000-000000000001"
            a.append(added)
            json.dump({"changed": a[0]["position_uuid"], "removed": removed["position_uuid"], "changed_return": a[0]["current_return"]}, open("expected.json", "w"))
            """)
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: root.path("expected.json"))) as! [String: Any]
        var page = [String: Any]()
        let arrived = try await eventually(timeout: .seconds(20)) {
            page = try await Self.changes(port, key, "since=\(start)", in: root)
            return Self.events(page).count == 3
        }
        #expect(arrived)
        let rewrite = Self.events(page)
        #expect(rewrite.map { $0["sequence"] as? Int } == [start + 1, start + 2, start + 3])
        #expect(Set(rewrite.compactMap { $0["kind"] as? String }) == ["item_changed", "item_removed", "item_added"])
        #expect(rewrite.allSatisfy { $0["key"] as? String == hotkeyA && $0["feed"] as? String == "positions" })
        let changed = try #require(rewrite.first { $0["kind"] as? String == "item_changed" })
        #expect(changed["item_key"] as? String == expected["changed"] as? String)
        #expect((changed["item"] as? [String: Any])?["current_return"] as? Double == expected["changed_return"] as? Double)
        #expect(changed["trade_pair"] as? String != nil)
        #expect(rewrite.first { $0["kind"] as? String == "item_removed" }?["item_key"] as? String == expected["removed"] as? String)
        #expect(rewrite.first { $0["kind"] as? String == "item_added" }?["item_key"] as? String == "00000000-e2e0-4000-8000-000000000001")

        // Paging: one event per page, `has_more` until the last.
        var pages = [[String: Any]]()
        var since = start
        for _ in 0 ..< 3 {
            let next = try await Self.changes(port, key, "since=\(since)&limit=1", in: root)
            pages.append(next)
            since = Self.events(next).last?["sequence"] as? Int ?? since
        }
        #expect(pages.map { $0["has_more"] as? Bool } == [true, true, false])
        #expect(since == start + 3)
        // Filters: another hotkey sees none of it; the trade pair of the change sees it.
        #expect(Self.events(try await Self.changes(port, key, "since=\(start)&hotkeys=\(TestDataRoot.hotkeyB)", in: root)).isEmpty)
        let pair = try #require(changed["trade_pair"] as? String)
        #expect(Self.events(try await Self.changes(port, key, "since=\(start)&trade_pairs=\(pair)", in: root)).contains { $0["kind"] as? String == "item_changed" })
        // The REST filters' spelling works too; another pair sees none of it.
        #expect(Self.events(try await Self.changes(port, key, "since=\(start)&trade_pair=\(pair)", in: root)).contains { $0["kind"] as? String == "item_changed" })
        #expect(Self.events(try await Self.changes(port, key, "since=\(start)&trade_pair=DOGEUSD", in: root)).isEmpty)

        // The live follower got the three, in order; a follower resuming after the first gets the other two only.
        let followed = try JSONSerialization.jsonObject(with: Data(try await live.output.utf8)) as? [[Any]] ?? []
        #expect(followed.compactMap { $0[0] as? String } == ["\(start + 1)", "\(start + 2)", "\(start + 3)"])
        let resumed = try await shell("python3 sse.py \(port) \(key) 2 \(start + 1)", in: root.url)
        let resumedEvents = try JSONSerialization.jsonObject(with: Data(resumed.output.utf8)) as? [[Any]] ?? []
        #expect(resumedEvents.compactMap { $0[0] as? String } == ["\(start + 2)", "\(start + 3)"])
        // The raw stream as curl shows it: the retry hint, the hello event, ids and kinds.
        let raw = try await shell(
            "curl -sN --max-time 2 -H 'Authorization: Bearer \(key)' -H 'Last-Event-ID: \(start + 2)' http://127.0.0.1:\(port)/events", in: root.url
        ).output
        #expect(raw.hasPrefix("retry: 3000\n\nevent: hello\n"))
        #expect(raw.contains("id: \(start + 3)\nevent: item_"))
        #expect(!raw.contains("id: \(start + 2)\n"))

        // kill -9, a change while down, a restart: the change is published after the last number, none reused.
        kill(server.process.processIdentifier, SIGKILL)
        await server.waitForExit()
        try await Self.rewritePositions(root, """
            b = doc["\(TestDataRoot.hotkeyB)"]["positions"]
            b[0]["current_return"] = b[0]["current_return"] + 0.02
            """)
        server = try await Self.serve(root, port: port)
        let afterKill = try await Self.changes(port, key, "since=\(start + 3)", in: root)
        #expect(afterKill["epoch"] as? String == epoch)
        #expect(Self.events(afterKill).map { $0["sequence"] as? Int } == [start + 4])
        #expect(Self.events(afterKill).first?["key"] as? String == TestDataRoot.hotkeyB)
        #expect(Self.events(afterKill).first?["kind"] as? String == "item_changed")
        // A clean restart with nothing changed publishes nothing.
        await server.stop()
        server = try await Self.serve(root, port: port)
        let quiet = try await Self.changes(port, key, "since=\(start + 3)", in: root)
        #expect(quiet["last_sequence"] as? Int == start + 4)
        let all = Self.events(try await Self.changes(port, key, "since=0", in: root)).compactMap { $0["sequence"] as? Int }
        #expect(all == all.sorted() && Set(all).count == all.count)

        // The journal lost: a new epoch, and a client from the old one is told its replay is unavailable.
        await server.stop()
        try FileManager.default.removeItem(at: root.path("state"))
        server = try await Self.serve(root, port: port)
        defer { server.terminate() }
        let fresh = try await Self.changes(port, key, "since=\(start + 4)", in: root)
        #expect(fresh["epoch"] as? String != epoch)
        #expect(fresh["replay_available"] as? Bool == false)
        let ready = try await shell("curl -s http://127.0.0.1:\(port)/ready", in: root.url).output
        #expect(ready.contains("\"journal\":\"durable\""))
    }

    @Test("SIGTERM with only streams open: SSE gets a shutdown event with where to resume, the WebSocket a 1001 close; the process exits at once")
    func shutdownEndsStreams() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let (port, wsPort) = (ServerProcess.freePort(), ServerProcess.freePort())
        let key = TestDataRoot.Key.tier100
        // A deadline far longer than the wait below: a server that let the streams run would be seen waiting for it.
        let server = try await Self.serve(root, port: port, extra: ["--ws-port", "\(wsPort)", "--shutdown-deadline", "60"])
        defer { server.terminate() }
        #expect(await eventually(timeout: .seconds(60)) { ServerProcess.canConnect(port: wsPort) })
        let curl = try background("curl -sN -H 'Authorization: Bearer \(key)' http://127.0.0.1:\(port)/events > sse.txt 2>&1", in: root.url)
        defer { if curl.isRunning { curl.terminate() } }
        try WebSocketClientScripts.exchange.write(to: root.path("exchange.py"), atomically: true, encoding: .utf8)
        async let socket = shell("python3 exchange.py ws://127.0.0.1:\(wsPort) 120 HEADER:\(key)", in: root.url)
        func read(_ name: String) -> String { (try? String(contentsOf: root.path(name), encoding: .utf8)) ?? "" }
        #expect(await eventually(timeout: .seconds(30)) { read("sse.txt").contains("event: hello") && !read("exchange.progress").isEmpty })

        let signalled = ContinuousClock.now
        server.process.terminate()
        let process = server.process
        await offPool { process.waitUntilExit() }
        let took = ContinuousClock.now - signalled
        #expect(took < .seconds(10), "exit took \(took) with streams open")
        #expect(process.terminationStatus == 0)

        let ended = try WebSocketEndToEndTests.json(try await socket.output)
        #expect(ended["ended"] as? String == "closed 1001", "\(ended)")
        let hello = read("sse.txt").split(separator: "\n").first { $0.hasPrefix("data: {") }.map { String($0.dropFirst(6)) } ?? "{}"
        let last = try WebSocketEndToEndTests.json(hello)["last_sequence"] as? Int
        #expect(await eventually(timeout: .seconds(10)) { read("sse.txt").contains("retry: 3000\nid: \(last ?? -1)\nevent: shutdown\n") }, "\(read("sse.txt"))")
        #expect(read("sse.txt").contains("\"resume_after\":\(last ?? -1)"))
    }

    @Test("another subnet's route file gets a stream of its keyed members with no code change")
    func exampleSubnetStream() async throws {
        let root = try ExampleSubnet.makeRoot()
        defer { root.delete() }
        let port = ServerProcess.freePort()
        let server = try await ExampleSubnet.serve(root, port: port)
        defer { server.terminate() }
        let initial = try await Self.changes(port, ExampleSubnet.freeKey, "since=0", in: root)
        let start = try #require(initial["last_sequence"] as? Int)
        // The free key follows the tier-0 files only; the gold key also the tier-50 miners file.
        #expect(!Self.events(initial).contains { $0["feed"] as? String == "state-miners" })
        let gold = try await Self.changes(port, ExampleSubnet.goldKey, "since=0", in: root)
        #expect(Self.events(gold).contains { $0["feed"] as? String == "state-miners" })

        try root.write("state/weights.json", """
            {"0": {"hotkey": "5FcstAlpha0000000000000000000000000000000000000", "weight": 0.4125, "updated_block": 4100200}, \
            "7": {"hotkey": "5FcstCharlie000000000000000000000000000000000000", "weight": 0.5, "updated_block": 4100300}, \
            "11": {"hotkey": "5FcstDelta0000000000000000000000000000000000000", "weight": 0.0875, "updated_block": 4100300}}
            """)
        var page = [String: Any]()
        let arrived = try await eventually(timeout: .seconds(20)) {
            page = try await Self.changes(port, ExampleSubnet.freeKey, "since=\(start)", in: root)
            return Self.events(page).count == 3
        }
        #expect(arrived)
        let byKey = Dictionary(uniqueKeysWithValues: Self.events(page).map { ($0["key"] as? String ?? "", $0) })
        #expect(byKey["7"]?["kind"] as? String == "key_changed")
        #expect((byKey["7"]?["value"] as? [String: Any])?["weight"] as? Double == 0.5)
        #expect(byKey["11"]?["kind"] as? String == "key_added")
        #expect(byKey["3"]?["kind"] as? String == "key_removed")
        #expect(Self.events(page).allSatisfy { $0["feed"] as? String == "state-weights" })
    }

    @Test("the example's declared facet: forecast events carry their `asset`, `?assets=` narrows /changes to it, the OpenAPI document names it")
    func exampleSubnetFacet() async throws {
        let root = try ExampleSubnet.makeRoot()
        defer { root.delete() }
        let port = ServerProcess.freePort()
        let server = try await ExampleSubnet.serve(root, port: port)
        defer { server.terminate() }
        let start = try #require(try await Self.changes(port, ExampleSubnet.goldKey, "since=0", in: root)["last_sequence"] as? Int)

        // Alpha's BTC and ETH forecasts move, Bravo's BTC one goes, Charlie gets a SOL one.
        let miners = """
            {"netuid": 42, "block": 4100300, "data": [\
            {"hotkey": "5FcstAlpha0000000000000000000000000000000000000", "uid": 0, "score": 0.912, "rank": 1, "history": [0.9], \
            "forecasts": [{"id": "a-1", "asset": "BTC", "horizon_s": 3600, "value": 97400.0}, {"id": "a-2", "asset": "ETH", "horizon_s": 3600, "value": 3650.0}]}, \
            {"hotkey": "5FcstBravo0000000000000000000000000000000000000", "uid": 3, "score": 0.746, "rank": 2, "history": [0.74], \
            "forecasts": [{"id": "b-2", "asset": "SOL", "horizon_s": 3600, "value": 231.4}]}, \
            {"hotkey": "5FcstCharlie000000000000000000000000000000000000", "uid": 7, "score": 0.553, "rank": 3, "history": [0.55], \
            "forecasts": [{"id": "c-1", "asset": "ETH", "horizon_s": 3600, "value": 3588.0}, {"id": "c-2", "asset": "SOL", "horizon_s": 3600, "value": 229.0}]}]}
            """
        try root.write("state/miners.json.gz", try TestDataRoot.gzip(miners))
        var all = [[String: Any]]()
        #expect(try await eventually(timeout: .seconds(20)) {
            all = Self.events(try await Self.changes(port, ExampleSubnet.goldKey, "since=\(start)", in: root)).filter { $0["item_key"] != nil }
            return all.count == 4
        })
        let byItem = Dictionary(uniqueKeysWithValues: all.map { ($0["item_key"] as? String ?? "", $0) })
        #expect(byItem["a-1"]?["kind"] as? String == "item_changed" && byItem["a-1"]?["asset"] as? String == "BTC")
        #expect(byItem["a-2"]?["asset"] as? String == "ETH" && byItem["c-2"]?["kind"] as? String == "item_added")
        // A removed forecast keeps the asset it had, so a follower of that asset hears it is gone.
        #expect(byItem["b-1"]?["kind"] as? String == "item_removed" && byItem["b-1"]?["asset"] as? String == "BTC")

        let btc = Self.events(try await Self.changes(port, ExampleSubnet.goldKey, "since=\(start)&assets=BTC", in: root))
        #expect(Set(btc.compactMap { $0["item_key"] as? String }) == ["a-1", "b-1"], "\(btc)")
        let one = Self.events(try await Self.changes(port, ExampleSubnet.goldKey, "since=\(start)&asset=SOL", in: root))
        #expect(Set(one.compactMap { $0["item_key"] as? String }) == ["c-2"], "\(one)")

        let openAPI = try await shell("curl -s http://127.0.0.1:\(port)/openapi.json", in: root.url).output
        let document = try #require(try JSONSerialization.jsonObject(with: Data(openAPI.utf8)) as? [String: Any])
        let parameters = ((document["components"] as? [String: Any])?["parameters"] as? [String: Any])?["Facets"] as? [String: Any]
        #expect(parameters?["name"] as? String == "assets")
        #expect(!openAPI.contains("trade_pair"))
    }
}
