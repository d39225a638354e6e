import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Three `ptn-serve` binaries on one throwaway PostgreSQL, serving one data folder: a client of a follower keeps
/// getting every change, in order and once, while the writer is killed or paused and another replica takes over.
@Suite("End to end: several replicas on one PostgreSQL", .serialized, .runsProcesses)
struct ReplicasEndToEndTests {
    /// Three replicas of `root` on `database`, each with a state folder of its own.
    /// Three replicas of `root` on `database`, each with a state folder of its own (and PTN's WebSocket port on
    /// `webSocketPorts`, when given).
    static func replicas(_ root: TestDataRoot, database: String, webSocketPorts: [Int] = []) async throws -> [ServerProcess] {
        var servers = [ServerProcess]()
        for index in 0..<3 {
            let port = ServerProcess.freePort()
            let webSocket = index < webSocketPorts.count ? ["--ws-port", "\(webSocketPorts[index])"] : []
            servers.append(try await ServerProcess.start(
                ["serve", "--data-dir", root.url.path, "--port", "\(port)", "--state-dir", root.path("state-\(index)").path] + webSocket,
                port: port, environment: ["PTN_SERVE_DATABASE": database]
            ))
        }
        return servers
    }

    /// An SSE client that reconnects, with `Last-Event-ID`, until it has `count` change events; prints their ids.
    /// Usage: sse_resume.py PORT KEY COUNT LAST_ID
    static let resumingSSE = """
        import json, sys, time, urllib.request
        port, key, count, last = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
        ids, log = [], open("sse_resume.log", "a", buffering=1)
        deadline = time.time() + 120
        while len(ids) < count and time.time() < deadline:
            try:
                headers = {"Authorization": f"Bearer {key}", "Last-Event-ID": last}
                with urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/events", headers=headers), timeout=30) as stream:
                    current = {}
                    for raw in stream:
                        line = raw.decode().rstrip("\\n")
                        if line == "":
                            log.write(f"{time.time():.3f} {json.dumps(current)}\\n")
                            if current.get("event") == "hello": open("sse_connected", "a").write("1")
                            if "id" in current and current.get("event") not in ("shutdown", "cut_off"):
                                ids.append(int(current["id"]))
                                last = current["id"]
                            current = {}
                            if len(ids) >= count: break
                        elif not line.startswith(":"):
                            name, _, value = line.partition(": ")
                            current[name] = value
            except Exception as error:
                log.write(f"{time.time():.3f} {type(error).__name__}: {error}; reconnecting\\n")
                time.sleep(0.3)
        print(json.dumps(ids))
        """

    /// `/ready`'s database block of the replica on `port` (empty when it does not answer).
    static func database(_ port: Int, in root: TestDataRoot) async -> [String: Any] {
        guard let result = try? await shell("curl -s -m 2 http://127.0.0.1:\(port)/ready", in: root.url),
            let object = try? JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        else { return [:] }
        return object["database"] as? [String: Any] ?? [:]
    }

    /// The last sequence the replica handed to its clients (0 when it does not answer).
    static func applied(_ server: ServerProcess, in root: TestDataRoot) async -> Int {
        await database(server.port, in: root)["applied_sequence"] as? Int ?? 0
    }

    /// Each replica's `/ready` database block, for failure messages.
    static func states(_ servers: [ServerProcess], in root: TestDataRoot) async -> String {
        var lines = [String]()
        for server in servers { lines.append("\(server.port): \(await database(server.port, in: root))") }
        return lines.joined(separator: "\n")
    }

    /// A replica's log without its request lines: what it did, for failure messages.
    static func events(_ log: String) -> String {
        log.split(separator: "\n").filter { !$0.hasSuffix("] request") }.joined(separator: "\n")
    }

    /// The replicas among `servers` whose `/ready` says they write.
    static func writers(_ servers: [ServerProcess], in root: TestDataRoot) async -> [ServerProcess] {
        var writers = [ServerProcess]()
        for server in servers where await database(server.port, in: root)["role"] as? String == "writer" { writers.append(server) }
        return writers
    }

    /// Changes one position of miner A (one `item_changed` event).
    static func nudge(_ root: TestDataRoot, _ amount: Double) async throws {
        try await ChangesEndToEndTests.rewritePositions(root, """
            a = doc["\(TestDataRoot.hotkeyA)"]["positions"]
            a[0]["current_return"] = a[0]["current_return"] + \(amount)
            """)
    }

    /// Changes one position of miner A and waits until every one of `servers` has handed out `sequence`.
    static func nudgeAll(_ root: TestDataRoot, _ servers: [ServerProcess], reaching sequence: Int) async throws {
        try await nudge(root, 0.01)
        for server in servers { #expect(await eventually(timeout: .seconds(15)) { await applied(server, in: root) >= sequence }) }
    }

    /// The ids of the events `sse.py` wrote to `file` (nil until it has written).
    static func received(_ file: URL) -> [Int]? {
        guard let data = try? Data(contentsOf: file), let events = try? JSONSerialization.jsonObject(with: data) as? [[Any]] else { return nil }
        return events.compactMap { ($0.first as? String).flatMap { Int($0) } }
    }

    @Test("kill -9 of the writer: another replica writes within 5 s; an SSE client of a follower gets every change, in order, once")
    func writerKilled() async throws {
        try await withTestPostgres { postgres in
            let url = try await postgres.createDatabase()
            let root = try TestDataRoot.make()
            defer { root.delete() }
            var servers = try await Self.replicas(root, database: "postgres://postgres@127.0.0.1:\(postgres.port)/\(url.database)")
            defer { for server in servers { server.terminate() } }
            #expect(await eventually(timeout: .seconds(20)) { await Self.writers(servers, in: root).count == 1 })
            let writer = try #require(await Self.writers(servers, in: root).first)
            let follower = try #require(servers.first { $0.port != writer.port })
            // The first versions are announced in one append (a new history): once the follower has any, it has all.
            #expect(await eventually(timeout: .seconds(20)) { await Self.applied(follower, in: root) >= 1 })
            let start = await Self.applied(follower, in: root)

            // A client of the follower, resuming after `start`, expecting the four changes below.
            try ChangesEndToEndTests.sseScript.write(to: root.path("sse.py"), atomically: true, encoding: .utf8)
            let output = root.path("received.json")
            let client = try background(
                "python3 sse.py \(follower.port) \(TestDataRoot.Key.tier100) 4 \(start) > \(output.path)", in: root.url
            )
            defer { if client.isRunning { client.terminate() } }
            // Each change waits for the last to reach the follower: two rewrites within one poll would be one diff.
            for step in 1...2 {
                try await Self.nudge(root, 0.01)
                #expect(await eventually(timeout: .seconds(15)) { await Self.applied(follower, in: root) >= start + step })
            }

            kill(writer.process.processIdentifier, SIGKILL)
            await writer.waitForExit()
            servers.removeAll { $0.port == writer.port }
            let killed = ContinuousClock.now
            #expect(await eventually(timeout: .seconds(10)) { await Self.writers(servers, in: root).count == 1 })
            #expect(ContinuousClock.now - killed < .seconds(5), "takeover took \(ContinuousClock.now - killed)")

            for step in 3...4 {
                try await Self.nudge(root, 0.01)
                #expect(await eventually(timeout: .seconds(15)) { await Self.applied(follower, in: root) >= start + step })
            }
            #expect(await eventually(timeout: .seconds(20)) { Self.received(output) != nil })
            #expect(Self.received(output) == Array(start + 1...start + 4), "\(servers.map { $0.log.text })")
        }
    }

    @Test("SIGSTOP of the writer past a takeover, then SIGCONT: the old writer cannot write and follows; no number is given twice")
    func writerPaused() async throws {
        try await withTestPostgres { postgres in
            let url = try await postgres.createDatabase()
            let root = try TestDataRoot.make()
            defer { root.delete() }
            let servers = try await Self.replicas(root, database: "postgres://postgres@127.0.0.1:\(postgres.port)/\(url.database)")
            defer { for server in servers { kill(server.process.processIdentifier, SIGCONT); server.terminate() } }
            #expect(await eventually(timeout: .seconds(20)) { await Self.writers(servers, in: root).count == 1 })
            let paused = try #require(await Self.writers(servers, in: root).first)
            let others = servers.filter { $0.port != paused.port }
            #expect(await eventually(timeout: .seconds(20)) { await Self.applied(others[0], in: root) >= 1 })
            let start = await Self.applied(others[0], in: root)

            kill(paused.process.processIdentifier, SIGSTOP)
            // The database ends the paused writer's silent session, which frees the lock for another.
            #expect(await eventually(timeout: .seconds(15)) { await Self.writers(others, in: root).count == 1 })
            try await Self.nudge(root, 0.02)
            #expect(await eventually(timeout: .seconds(15)) { await Self.applied(others[0], in: root) >= start + 1 })

            kill(paused.process.processIdentifier, SIGCONT)
            #expect(await eventually(timeout: .seconds(15)) {
                let status = await Self.database(paused.port, in: root)
                return status["role"] as? String == "follower" && status["applied_sequence"] as? Int == start + 1
            })
            try await Self.nudge(root, 0.02)
            #expect(await eventually(timeout: .seconds(15)) { await Self.applied(paused, in: root) >= start + 2 })
            let page = try await ChangesEndToEndTests.changes(paused.port, TestDataRoot.Key.tier100, "since=\(start)", in: root)
            #expect(ChangesEndToEndTests.events(page).compactMap { $0["sequence"] as? Int } == [start + 1, start + 2])
            #expect(await Self.writers(servers, in: root).count == 1)
            let log = paused.log.text
            #expect(log.contains("no longer writes the change journal") || log.contains("this one stops writing"))
        }
    }

    @Test(
        "PostgreSQL down, then back: replicas serve on and say degraded; a change made meanwhile is published once it is back"
    )
    func databaseRestart() async throws {
        try await withTestPostgres { postgres in
            let url = try await postgres.createDatabase()
            let root = try TestDataRoot.make()
            defer { root.delete() }
            let servers = try await Self.replicas(root, database: "postgres://postgres@127.0.0.1:\(postgres.port)/\(url.database)")
            defer { for server in servers { server.terminate() } }
            #expect(await eventually(timeout: .seconds(20)) { await Self.writers(servers, in: root).count == 1 })
            #expect(await eventually(timeout: .seconds(20)) { await Self.applied(servers[0], in: root) >= 1 })
            let start = await Self.applied(servers[0], in: root)

            await postgres.halt()
            let allDegraded = await eventually(timeout: .seconds(15)) {
                var degraded = 0
                for server in servers where await Self.database(server.port, in: root)["state"] as? String == "degraded" { degraded += 1 }
                return degraded == servers.count
            }
            let during = await Self.states(servers, in: root)
            #expect(allDegraded, "\(during)")
            try await Self.nudge(root, 0.03)
            let ready = try await shell("curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:\(servers[1].port)/ready", in: root.url)
            #expect(ready.output == "200")

            try await postgres.resume()
            #expect(await eventually(timeout: .seconds(20)) { await Self.writers(servers, in: root).count == 1 })
            for server in servers {
                let caughtUp = await eventually(timeout: .seconds(20)) { await Self.applied(server, in: root) == start + 1 }
                let after = await Self.states(servers, in: root)
                #expect(caughtUp, "\(after)\n\(Self.events(server.log.text))")
            }
            let page = try await ChangesEndToEndTests.changes(servers[2].port, TestDataRoot.Key.tier100, "since=\(start)", in: root)
            #expect(ChangesEndToEndTests.events(page).map { $0["kind"] as? String } == ["item_changed"])
        }
    }

    @Test("the database dropped and created anew: a new epoch on every replica, numbers go on, a client of the old one is told")
    func databaseReplaced() async throws {
        try await withTestPostgres { postgres in
            let url = try await postgres.createDatabase()
            let root = try TestDataRoot.make()
            defer { root.delete() }
            let servers = try await Self.replicas(root, database: "postgres://postgres@127.0.0.1:\(postgres.port)/\(url.database)")
            defer { for server in servers { server.terminate() } }
            #expect(await eventually(timeout: .seconds(20)) { await Self.writers(servers, in: root).count == 1 })
            #expect(await eventually(timeout: .seconds(20)) { await Self.applied(servers[0], in: root) >= 1 })
            let key = TestDataRoot.Key.tier100
            let before = try await ChangesEndToEndTests.changes(servers[0].port, key, "since=0", in: root)
            let (oldEpoch, start) = (try #require(before["epoch"] as? String), try #require(before["last_sequence"] as? Int))

            try await postgres.dropDatabase(url)
            try await postgres.recreateDatabase(url)
            // Every replica takes on the new history, whose numbers go on after those handed out.
            for server in servers {
                let adopted = await eventually(timeout: .seconds(30)) {
                    let page = try? await ChangesEndToEndTests.changes(server.port, key, "since=0", in: root)
                    guard (page?["epoch"] as? String).map({ $0 != oldEpoch }) == true else { return false }
                    return await Self.applied(server, in: root) > start
                }
                let states = await Self.states(servers, in: root)
                #expect(adopted, "\(states)\n\(Self.events(server.log.text))")
            }
            let mark = await Self.applied(servers[1], in: root)
            try await Self.nudge(root, 0.04)
            for server in servers {
                #expect(await eventually(timeout: .seconds(20)) { await Self.applied(server, in: root) == mark + 1 })
            }
            let page = try await ChangesEndToEndTests.changes(servers[2].port, key, "since=\(mark)", in: root)
            #expect(ChangesEndToEndTests.events(page).map { $0["kind"] as? String } == ["item_changed"])
            #expect(ChangesEndToEndTests.events(page).compactMap { $0["sequence"] as? Int } == [mark + 1])
            // A client that resumes in the old history is told its events are not all here: it re-fetches.
            let old = try await ChangesEndToEndTests.changes(servers[2].port, key, "since=\(start)&epoch=\(oldEpoch)", in: root)
            #expect(old["replay_available"] as? Bool == false)
            #expect(ChangesEndToEndTests.events(old).isEmpty)
        }
    }

    @Test("behind nginx (the shipped deploy file): kill -9 of the writer; a WebSocket and an SSE client get every change, in order, once")
    func throughNginx() async throws {
        try await withTestPostgres { postgres in
            let url = try await postgres.createDatabase()
            let root = try TestDataRoot.make()
            defer { root.delete() }
            let webSocketPorts = (0..<3).map { _ in ServerProcess.freePort() }
            let servers = try await Self.replicas(
                root, database: "postgres://postgres@127.0.0.1:\(postgres.port)/\(url.database)", webSocketPorts: webSocketPorts
            )
            defer { for server in servers { server.terminate() } }
            let nginx = try await TestNginx.start(ports: servers.map(\.port), webSocketPorts: webSocketPorts)
            defer { nginx.stop() }
            #expect(await eventually(timeout: .seconds(20)) { await Self.writers(servers, in: root).count == 1 })
            #expect(await eventually(timeout: .seconds(20)) { await Self.applied(servers[0], in: root) >= 1 })
            let start = await Self.applied(servers[0], in: root)
            for server in servers { #expect(await eventually(timeout: .seconds(20)) { await Self.applied(server, in: root) == start }) }

            let key = TestDataRoot.Key.tier100
            try Self.resumingSSE.write(to: root.path("sse_resume.py"), atomically: true, encoding: .utf8)
            let sse = try background("python3 sse_resume.py \(nginx.port) \(key) 4 \(start) > sse_ids.json", in: root.url)
            defer { if sse.isRunning { sse.terminate() } }
            // The WebSocket client resumes after `start` too: it keeps the last sequence it saw in a file, as PTN's does.
            try "\(start)".write(to: root.path("client_sequence_\(key).txt"), atomically: true, encoding: .utf8)
            try WebSocketClientScripts.follower.write(to: root.path("follower.py"), atomically: true, encoding: .utf8)
            let follower = try background("python3 follower.py ws://127.0.0.1:\(nginx.webSocketPort) \(key) 4 > ws_frames.json", in: root.url)
            defer { if follower.isRunning { follower.terminate() } }
            let connected = await eventually(timeout: .seconds(60)) {
                ["connected", "sse_connected"].allSatisfy { FileManager.default.fileExists(atPath: root.path($0).path) }
            }
            #expect(connected)

            // Each change waits for every replica: two rewrites within one poll would be one diff.
            for step in 1...2 { try await Self.nudgeAll(root, servers, reaching: start + step) }
            let writer = try #require(await Self.writers(servers, in: root).first)
            kill(writer.process.processIdentifier, SIGKILL)
            await writer.waitForExit()
            let survivors = servers.filter { $0.port != writer.port }
            #expect(await eventually(timeout: .seconds(10)) { await Self.writers(survivors, in: root).count == 1 })
            for step in 3...4 { try await Self.nudgeAll(root, survivors, reaching: start + step) }

            #expect(await eventually(timeout: .seconds(60)) { !follower.isRunning })
            let webSocket = (try? JSONSerialization.jsonObject(with: Data(contentsOf: root.path("ws_frames.json")))) as? [String: Any]
            let frames = (webSocket?["frames"] as? [[Any]] ?? []).compactMap { $0.first as? Int }
            let log = (try? String(contentsOf: root.path("follower.log"), encoding: .utf8)) ?? ""
            #expect(frames == Array(start + 1...start + 4), "\(log)")
            #expect(await eventually(timeout: .seconds(30)) { !sse.isRunning })
            let ids = (try? JSONSerialization.jsonObject(with: Data(contentsOf: root.path("sse_ids.json")))) as? [Int]
            let sseLog = (try? String(contentsOf: root.path("sse_resume.log"), encoding: .utf8)) ?? ""
            #expect(ids == Array(start + 1...start + 4), "\(sseLog)")
        }
    }

    @Test("a 100-request quota driven through nginx across three replicas: at most 100 admitted, at most the chunks held fewer; /usage on each counts them all")
    func quotaAcrossReplicas() async throws {
        try await withTestPostgres { postgres in
            let url = try await postgres.createDatabase()
            let root = try TestDataRoot.make()
            defer { root.delete() }
            try root.write("ptn_api/api_keys.json", #"{"buyer": {"key": "k-buyer-replicas", "tier": 100, "quota": {"requests": 100, "period": "month"}}}"#)
            let webSocketPorts = (0..<3).map { _ in ServerProcess.freePort() }
            let servers = try await Self.replicas(
                root, database: "postgres://postgres@127.0.0.1:\(postgres.port)/\(url.database)", webSocketPorts: webSocketPorts
            )
            defer { for server in servers { server.terminate() } }
            let nginx = try await TestNginx.start(ports: servers.map(\.port), webSocketPorts: webSocketPorts)
            defer { nginx.stop() }
            let script = """
                import http.client, json, sys
                port, statuses, refusal = int(sys.argv[1]), [], None
                for _ in range(130):
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    connection.request("GET", "/miner-hotkeys", headers={"Authorization": "Bearer k-buyer-replicas"})
                    response = connection.getresponse()
                    body = response.read()
                    statuses.append(response.status)
                    if response.status == 429: refusal = json.loads(body)["error"]
                    connection.close()
                print(json.dumps({"ok": statuses.count(200), "refused": statuses.count(429), "refusal": refusal}))
                """
            try script.write(to: root.path("quota.py"), atomically: true, encoding: .utf8)
            let result = try await shell("python3 quota.py \(nginx.port)", in: root.url)
            let counts = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any], "\(result.output)")
            let admitted = try #require(counts["ok"] as? Int)
            // Each replica leases a twentieth of the quota at a time (5 requests): what the other two still hold is unused.
            #expect(admitted <= 100 && admitted >= 100 - 2 * 5, "\(counts)")
            #expect(admitted + (counts["refused"] as? Int ?? 0) == 130)
            #expect((counts["refusal"] as? String)?.hasPrefix("Monthly request quota of 100 requests used up") == true)

            // Once every replica has written its rows (the export, read from the database, holds all 130), GET /usage on
            // any replica counts what every replica admitted, not only its own share.
            let database = "postgres://postgres@127.0.0.1:\(postgres.port)/\(url.database)"
            let exported = await eventually(timeout: .seconds(30)) {
                let export = try? await shell("\(try ServerProcess.binary().path) usage --database \(database) --format json", in: root.url)
                let rows = (try? JSONSerialization.jsonObject(with: Data((export?.output ?? "").utf8))) as? [[String: Any]] ?? []
                return rows.reduce(0) { $0 + ($1["requests"] as? Int ?? 0) } == 130
            }
            #expect(exported)
            for server in servers {
                let answer = try await shell("curl -s -H 'Authorization: Bearer k-buyer-replicas' http://127.0.0.1:\(server.port)/usage", in: root.url)
                let usage = try JSONSerialization.jsonObject(with: Data(answer.output.utf8)) as? [String: Any]
                let requests = (usage?["quota"] as? [String: Any])?["requests"] as? [String: Any]
                #expect((requests?["used"] as? Int ?? 0) >= admitted, "\(answer.output)")
            }

            // Stopped, the replicas have written their last rows: the billing export reads every one's from the database.
            for server in servers { await server.stop() }
            let export = try await shell(
                "\(try ServerProcess.binary().path) usage --database \(database) --format json",
                in: root.url
            )
            let rows = try JSONSerialization.jsonObject(with: Data(export.output.utf8)) as? [[String: Any]] ?? []
            let usageRows = rows.filter { $0["route"] as? String == "/usage" }
            #expect(rows.reduce(0) { $0 + ($1["requests"] as? Int ?? 0) } == 130 + usageRows.reduce(0) { $0 + ($1["requests"] as? Int ?? 0) }, "\(export.output)")
            #expect(rows.reduce(0) { $0 + ($1["rate_limited"] as? Int ?? 0) } == 130 - admitted)
        }
    }
}
