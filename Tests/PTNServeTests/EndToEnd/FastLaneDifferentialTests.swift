import Foundation
import Testing
@testable import PTNServe

/// The fast lane against Hummingbird alone: two servers (`--fast-lane on` and `off`, the real binary, the same data and
/// keys) get the same requests, and every answer must be the same bytes but for `Date` and the request id.
@Suite("End to end: the fast lane answers exactly as Hummingbird does", .serialized, .runsProcesses)
struct FastLaneDifferentialTests {
    typealias Key = TestDataRoot.Key

    /// Keys of every kind the decision tells apart: tiers, a raw legacy key, a plan with a small quota, a slow rate, a
    /// route scope, an expired key.
    static let keyFile = """
        {"alice": {"key": "\(Key.tier100)", "tier": 100}, "bob": {"key": "\(Key.tier50)", "tier": 50},
         "carol": {"key": "\(Key.tier30)", "tier": 30}, "trial": {"key": "\(Key.tier0)"}, "legacy": "\(Key.legacy)",
         "dora": {"key": "k-dora-quota-7e1d", "tier": 100, "quota": {"requests": 12, "period": "day"}},
         "eve": {"key": "k-eve-slow-4c2b", "tier": 50, "rate": "6/h"},
         "finn": {"key": "k-finn-scope-9a3f", "tier": 100, "routes": ["/miner-hotkeys", "/statistics*"]},
         "gus": {"key": "k-gus-expired-0b8e", "tier": 100, "expires": "2020-01-01T00:00:00Z"}}
        """
    static let keys = [
        Key.tier100, Key.tier50, Key.tier30, Key.tier0, Key.legacy, "k-dora-quota-7e1d", "k-eve-slow-4c2b", "k-finn-scope-9a3f",
        "k-gus-expired-0b8e", "k-wrong-0000", "",
    ]

    /// Two servers over one data folder, lane on and off.
    struct Pair {
        let on: ServerProcess
        let off: ServerProcess

        static func start(_ root: TestDataRoot) async throws -> Pair {
            try root.write("ptn_api/api_keys.json", FastLaneDifferentialTests.keyFile)
            chmod(root.path("ptn_api/api_keys.json").path, 0o600)
            func server(_ lane: String) async throws -> ServerProcess {
                let port = ServerProcess.freePort()
                return try await ServerProcess.start(
                    [
                        "serve", "--data-dir", root.url.path, "--port", "\(port)", "--fast-lane", lane, "--state-dir",
                        root.path("state-\(lane)").path, "--rate-limit", "300/h", "--ip-rate-limit", "40/h", "--read-timeout", "1",
                    ],
                    port: port
                )
            }
            let on = try await server("on")
            let off = try await server("off")
            // Both have loaded every file and made its gzip form before the comparison starts: every whole file worth
            // compressing is answered gzip to a client that accepts it.
            let files = try RouteTable.builtIn("ptn").routes.map(\.routerPath).filter { !$0.contains("{") }
            for server in [on, off] {
                _ = try await eventually(timeout: .seconds(30)) {
                    for file in files {
                        let head = try await shell(
                            "curl -sI -H 'Authorization: Bearer \(Key.tier100)' -H 'Accept-Encoding: gzip' http://127.0.0.1:\(server.port)/\(file)",
                            in: root.url
                        ).output.lowercased()
                        let length = head.components(separatedBy: "\r\n").first { $0.hasPrefix("content-length:") }
                            .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                        if !head.contains("content-encoding: gzip"), length >= JSONResponse.minimumGzipSize { return false }
                    }
                    return true
                }
            }
            return Pair(on: on, off: off)
        }

        func stop() {
            on.terminate()
            off.terminate()
        }
    }

    /// Every kind of answer the lane gives (2000: an entry answered).
    static let answerKinds: Set<Int> = [200, 206, 304, 400, 401, 403, 404, 416, 429, 2000]

    @Test("a random sample of routes, keys, conditional and range headers and Accept-Encoding, on keep-alive connections")
    func randomSample() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let pair = try await Pair.start(root)
        defer { pair.stop() }
        let seed = UInt64(ProcessInfo.processInfo.environment["PTN_PARITY_SEED"] ?? "") ?? UInt64.random(in: 0...UInt64.max)
        let (results, statuses): ([String], Set<Int>) = await offPool {
            var random = SeededRandom(seed: seed)
            var sample = ParitySample()
            var failures = [String]()
            var statuses = Set<Int>()
            var connections: (WireConnection, WireConnection)?
            // 600 requests, and on until every kind of answer came up (a random sample may miss a rare one).
            for index in 0..<3000 {
                if index >= 600, statuses.isSuperset(of: Self.answerKinds) { break }
                let request = sample.next(&random)
                if connections == nil {
                    connections = try? (WireConnection(port: pair.on.port), WireConnection(port: pair.off.port))
                }
                guard let (on, off) = connections else { return (["cannot connect"], statuses) }
                let a = on.exchange(request.text, isHead: request.isHead)
                let b = off.exchange(request.text, isHead: request.isHead)
                guard let a, let b else {
                    if (a == nil) != (b == nil) { failures.append("#\(index) one lane closed: \(request.text)") }
                    connections = nil
                    continue
                }
                sample.learn(request, a)
                statuses.insert(a.status)
                // An entry answered (both servers wrong the same way would pass the comparison).
                if a.status == 200, request.text.hasPrefix("GET /miner-positions/\(TestDataRoot.hotkeyA) ") { statuses.insert(2000) }
                if let difference = LaneParity.difference(a, b, clientRequestID: request.clientRequestID) {
                    failures.append("#\(index) \(difference)\n\(request.text)")
                }
                if request.closes || a.value("Connection") == "close" { connections = nil }
            }
            return (failures, statuses)
        }
        #expect(results.isEmpty, "seed \(seed) (PTN_PARITY_SEED to replay): \(results.prefix(5).joined(separator: "\n---\n"))")
        // The sample reached every kind of answer the lane gives.
        #expect(statuses.isSuperset(of: Self.answerKinds), "seed \(seed): \(statuses.sorted())")
    }

    @Test("the bad-input and framing corpora: the same answers and the same closes")
    func corpora() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let pair = try await Pair.start(root)
        defer { pair.stop() }
        var cases = BadInputCorpusTests.routes.flatMap { route in BadInputCorpusTests.generic(route).map { ("\(route): \($0.0)", $0.1) } }
        cases += BadInputCorpusTests.targeted
        cases += BadInputCorpusTests.framing.map { ($0.0, Data($0.1.utf8)) }
        cases += Self.keepAliveFraming.map { ($0.0, Data($0.1.utf8)) }
        let expected = Dictionary(uniqueKeysWithValues: Self.expectedStatuses)
        for (name, bytes) in cases {
            async let a = Self.replies(port: pair.on.port, bytes)
            async let b = Self.replies(port: pair.off.port, bytes)
            let (on, off) = await (a, b)
            #expect(on.closed == off.closed, "\(name): closed \(on.closed) vs \(off.closed)")
            #expect(on.responses.count == off.responses.count, "\(name): \(on.responses.count) vs \(off.responses.count) answers")
            for (x, y) in zip(on.responses, off.responses) {
                let difference = LaneParity.difference(x, y, clientRequestID: false)
                #expect(difference == nil, "\(name): \(difference ?? "")")
            }
            #expect(on.rest == off.rest, "\(name): trailing bytes differ")
            if let statuses = expected[name] {
                let got = on.responses.map(\.status)
                let matches = got.count == statuses.count && zip(got, statuses).allSatisfy { $1 == 0 || $0 == $1 }
                #expect(matches, "\(name): \(got) \(on.responses.map(\.description).joined(separator: "\n====\n"))")
            }
        }
    }

    @Test("a connection busy with lane reads is not idle; one left idle closes after --idle-timeout, as with Hummingbird alone")
    func idleTimeout() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        for lane in ["on", "off"] {
            let port = ServerProcess.freePort()
            let server = try await ServerProcess.start(
                ["serve", "--data-dir", root.url.path, "--port", "\(port)", "--fast-lane", lane, "--idle-timeout", "2"], port: port
            )
            defer { server.terminate() }
            let request = "GET /eliminations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(Key.tier100)\r\n\r\n"
            let connection = try WireConnection(port: port)
            // 4 s of reads, one every 0.5 s: twice the idle timeout, never idle that long.
            for _ in 0..<8 {
                let answer = await offPool { connection.exchange(request, isHead: false) }
                #expect(answer?.status == 200, "lane \(lane)")
                try await Task.sleep(for: .milliseconds(500))
            }
            let start = ContinuousClock.now
            let closed = await offPool { connection.next(isHead: false) == nil }
            #expect(closed && ContinuousClock.now - start < .seconds(4), "lane \(lane)")
        }
    }

    /// Keep-alive sequences the fast lane takes part in: pipelined reads, a head split across writes, a body-key request
    /// between lane requests, HTTP/1.0, `Connection` headers. Each ends with a request that closes the connection.
    static let keepAliveFraming: [(String, String)] = {
        let bearer = "Authorization: Bearer \(Key.tier100)\r\n"
        func get(_ target: String, _ extra: String = "") -> String { "GET \(target) HTTP/1.1\r\nHost: x\r\n\(bearer)\(extra)\r\n" }
        let close = "GET /eliminations HTTP/1.1\r\nHost: x\r\n\(bearer)Connection: close\r\n\r\n"
        let hotkey = "/miner-positions/\(TestDataRoot.hotkeyA)"
        let keyBody = "{\"api_key\": \"\(Key.tier0)\"}"
        let bodyKey = "GET /miner-hotkeys HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(keyBody.utf8.count)\r\n\r\n" + keyBody
        return [
            ("pipelined lane reads", get("/miner-hotkeys") + get(hotkey) + "HEAD /statistics HTTP/1.1\r\nHost: x\r\n\(bearer)\r\n" + get("/eliminations") + close),
            ("pipelined: a body key between lane reads", get("/miner-hotkeys") + bodyKey + get(hotkey) + get("/miner-positions?tier=30") + close),
            ("pipelined: unknown route, wrong method, lane read", get("/nope") + "POST /miner-hotkeys HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n" + get("/miner-hotkeys") + close),
            ("pipelined: 401, 400, 403 and 404 from the lane", "GET /miner-hotkeys HTTP/1.1\r\nHost: x\r\n\r\n" + get("/miner-positions?tier=7")
                + "GET /miner-positions?tier=100 HTTP/1.1\r\nHost: x\r\nX-API-Key: \(Key.tier0)\r\n\r\n" + get("/miner-positions/nobody") + close),
            ("HTTP/1.0 lane read", "GET /miner-hotkeys HTTP/1.0\r\nHost: x\r\n\(bearer)\r\n" + close),
            ("Connection: keep-alive", get("/miner-hotkeys", "Connection: keep-alive\r\n") + close),
            ("lower-case field names and odd spacing", "GET /miner-hotkeys HTTP/1.1\r\nhost: x\r\nauthorization:   bearer \(Key.tier50)  \r\n\r\n" + close),
            ("Content-Length: 0 on a read", get("/miner-hotkeys", "Content-Length: 0\r\n") + close),
            ("trailing slash and double slash", get("/statistics/\(TestDataRoot.hotkeyA)/") + get("//miner-hotkeys") + get("/miner-hotkeys//") + close),
            ("a client's own request id", get("/miner-hotkeys", "X-Request-Id: trace-42.a:b\r\n") + get("/miner-hotkeys", "X-Request-Id: bad id\r\n") + close),
            ("query key, not allowed", "GET /miner-hotkeys?api_key=\(Key.tier100) HTTP/1.1\r\nHost: x\r\n\r\n" + close),
            ("ranges and conditionals pipelined", get("/validator-checkpoint", "Accept-Encoding: gzip\r\nRange: bytes=0-9\r\n")
                + get("/miner-positions", "Range: bytes=-5\r\n") + get("/miner-positions", "Range: bytes=99999999-\r\n")
                + get("/miner-positions", "If-None-Match: *\r\n") + close),
        ]
    }()

    /// What some of the keep-alive sequences must get, so that both servers being wrong the same way shows too (0: any;
    /// a keyless request may find the address's bucket emptied by the corpus before it).
    static let expectedStatuses: [(String, [Int])] = [
        ("pipelined lane reads", [200, 200, 200, 200, 200]),
        ("pipelined: a body key between lane reads", [200, 200, 200, 200, 200]),
        ("pipelined: 401, 400, 403 and 404 from the lane", [0, 400, 403, 404, 200]),
        ("trailing slash and double slash", [200, 200, 200, 200]),
        ("ranges and conditionals pipelined", [206, 206, 416, 304, 200]),
    ]

    /// Everything a server sends back for `bytes` on a fresh connection until it closes (5 s at most).
    static func replies(port: Int, _ bytes: Data) async -> (responses: [WireResponse], rest: Data, closed: Bool) {
        guard let connection = try? RawConnection(port: port, timeout: .seconds(5)) else { return ([], Data(), false) }
        _ = await offPool { connection.send(bytes) }
        let reply = await connection.readUntilClosed()
        let text = String(decoding: bytes, as: UTF8.self)
        // Which answers are to HEAD requests (no body follows them), in order.
        let heads = text.components(separatedBy: "\r\n").filter { $0.contains(" HTTP/1.") }.map { $0.hasPrefix("HEAD ") }
        let parsed = WireResponse.parseAll(reply ?? Data(), heads: heads)
        return (parsed.responses, parsed.rest, reply != nil)
    }
}

/// A reproducible generator (SplitMix64), so a failing sample can be replayed from its seed.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
