import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Three `ptn-serve` binaries on one throwaway PostgreSQL, serving one data folder: a client of a follower keeps
/// getting every change, in order and once, while the writer is killed or paused and another replica takes over.
@Suite("End to end: several replicas on one PostgreSQL", .serialized)
struct ReplicasEndToEndTests {
    /// Three replicas of `root` on `database`, each with a state folder of its own.
    static func replicas(_ root: TestDataRoot, database: String) async throws -> [ServerProcess] {
        var servers = [ServerProcess]()
        for index in 0..<3 {
            let port = ServerProcess.freePort()
            servers.append(try await ServerProcess.start(
                ["serve", "--data-dir", root.url.path, "--port", "\(port)", "--state-dir", root.path("state-\(index)").path],
                port: port, environment: ["PTN_SERVE_DATABASE": database]
            ))
        }
        return servers
    }

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
}
