import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import PTNServe

@Suite("Bad-input corpus against every route over a real socket: a clear 4xx each, and the server stays up")
struct BadInputCorpusTests {
    typealias Key = TestDataRoot.Key

    static let routes = [
        "/miner-positions", "/miner-positions?tier=30", "/miner-positions/\(TestDataRoot.hotkeyA)", "/miner-hotkeys", "/statistics",
        "/statistics/\(TestDataRoot.hotkeyA)/", "/eliminations", "/miner-copying", "/validator-checkpoint",
    ]

    static func request(_ target: String, method: String = "GET", version: String = "HTTP/1.1", headers: [String] = [], body: Data = Data())
        -> Data
    {
        var head = "\(method) \(target) \(version)\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for header in headers { head += header + "\r\n" }
        if !body.isEmpty { head += "Content-Length: \(body.count)\r\n" }
        return Data((head + "\r\n").utf8) + body
    }

    /// Bad requests that apply to any route: (name, request bytes).
    static func generic(_ route: String) -> [(String, Data)] {
        let bearer = "Authorization: Bearer \(Key.tier0)"
        return [
            ("NUL byte, encoded", request(route + (route.contains("?") ? "&" : "?") + "x=%00", headers: ["Authorization: Bearer k%00"])),
            ("NUL byte in a header", request(route, headers: ["Authorization: Bearer k-\u{0}-x"])),
            ("invalid percent-encoding", request(route + (route.contains("?") ? "&" : "?") + "tier=%zz%G", headers: [])),
            ("huge declared JSON body", request(route, headers: ["Content-Type: application/json"], body: Data(repeating: 0x20, count: 100 * 1024))),
            ("malformed JSON body", request(route, headers: ["Content-Type: application/json"], body: Data(#"{"api_key": "#.utf8))),
            ("JSON body that is not an object", request(route, headers: ["Content-Type: application/json"], body: Data("[1, 2]".utf8))),
            ("wrong content type, form body", request(route, headers: ["Content-Type: application/x-www-form-urlencoded"], body: Data("api_key=\(Key.tier0)".utf8))),
            ("wrong content type, XML", request(route, headers: ["Content-Type: text/xml"], body: Data("<api_key>x</api_key>".utf8))),
            ("repeated auth headers, none valid", request(route, headers: ["Authorization: Bearer wrong-1", "Authorization: Bearer wrong-2", "X-API-Key: x", "X-API-Key: y"])),
            ("HTTP/1.0 without a key", request(route, version: "HTTP/1.0")),
            ("wrong method", request(route, method: "POST", headers: [bearer])),
            ("DELETE with a body", request(route, method: "DELETE", headers: [bearer], body: Data("{}".utf8))),
            ("header section over the cap", request(route, headers: [bearer, "X-Pad: " + String(repeating: "a", count: 20 * 1024)])),
            ("URL over the cap", request(route + (route.contains("?") ? "&" : "?") + "pad=" + String(repeating: "b", count: 10 * 1024), headers: [bearer])),
        ]
    }

    /// Bad requests aimed at path parameters.
    static let targeted: [(String, Data)] = [
        ("path traversal", request("/miner-positions/../../etc/passwd", headers: ["Authorization: Bearer \(Key.tier100)"])),
        ("path traversal, encoded", request("/miner-positions/..%2F..%2Fetc%2Fpasswd", headers: ["Authorization: Bearer \(Key.tier100)"])),
        ("path traversal, double-encoded", request("/statistics/%252e%252e%252f%252e%252e%252fetc%252fpasswd", headers: ["Authorization: Bearer \(Key.tier0)"])),
        ("traversal out of the data folder", request("/%2e%2e/%2e%2e/ptn_api/api_keys.json", headers: ["Authorization: Bearer \(Key.tier100)"])),
        ("1 MB hotkey", request("/miner-positions/" + String(repeating: "5", count: 1 << 20), headers: ["Authorization: Bearer \(Key.tier100)"])),
        ("40 KB hotkey", request("/statistics/" + String(repeating: "5", count: 40 * 1024), headers: ["Authorization: Bearer \(Key.tier0)"])),
        ("NUL in a hotkey", request("/miner-positions/5Gp%00FBT", headers: ["Authorization: Bearer \(Key.tier100)"])),
        ("raw control bytes in the target", Data("GET /miner-positions/\u{1}\u{7f} HTTP/1.1\r\nHost: x\r\n\r\n".utf8)),
        ("not HTTP at all", Data("HELLO\r\n\r\n".utf8)),
        ("bad tier", request("/miner-positions?tier=../../0", headers: ["Authorization: Bearer \(Key.tier100)"])),
        ("unknown route", request("/admin", headers: ["Authorization: Bearer \(Key.tier100)"])),
        ("huge header over the parser limit", request("/miner-hotkeys", headers: ["X-Pad: " + String(repeating: "c", count: 200 * 1024)])),
    ]

    /// Broken or ambiguous body framing, and request smuggling: (name, request bytes, the status it must get, or nil
    /// for "a 4xx or a close without an answer"). Keyless, so the key check reads the body.
    static let framing: [(String, String, Int?)] = {
        let head = "GET /eliminations HTTP/1.1\r\nHost: x\r\n"
        let chunked = head + "Transfer-Encoding: chunked\r\n"
        // Read as a second request only by a server that misjudges where the first one ends.
        let smuggled = "GET /no-such-route HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        return [
            ("chunk size not hex", chunked + "\r\nzz\r\n{}\r\n0\r\n\r\n" + smuggled, 400),
            ("chunk size beyond 64 bits", chunked + "\r\n1ffffffffffffffffffff\r\n{}\r\n0\r\n\r\n" + smuggled, 400),
            ("negative chunk size", chunked + "\r\n-2\r\n{}\r\n0\r\n\r\n" + smuggled, 400),
            ("chunk longer than its size", chunked + "\r\n2\r\n{}}}\r\n0\r\n\r\n" + smuggled, 400),
            ("chunk extension", chunked + "Connection: close\r\n\r\n2;name=\"value\"\r\n{}\r\n0\r\n\r\n", 401),
            ("chunk extension with a control byte", chunked + "\r\n2;\u{1}\r\n{}\r\n0\r\n\r\n" + smuggled, nil),
            ("bare LF in chunk framing", chunked + "\r\n2\n{}\n0\n\n" + smuggled, nil),
            ("chunk beyond the body cap", chunked + "Connection: close\r\n\r\n20000\r\n" + String(repeating: " ", count: 0x20000) + "\r\n0\r\n\r\n", 413),
            ("oversized chunk size, data never sent", chunked + "\r\n7fffffff\r\n{\"api_key\": ", 408),
            ("chunked body cut off", chunked + "\r\n20\r\n{\"api_key\": ", 408),
            ("body shorter than its Content-Length", head + "Content-Length: 100\r\n\r\n{\"api_key\": ", 408),
            ("Content-Length and Transfer-Encoding", head + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled, nil),
            ("Transfer-Encoding and Content-Length", chunked + "Content-Length: 40\r\n\r\n0\r\n\r\n" + smuggled, nil),
            ("duplicate Content-Length, different", head + "Content-Length: 2\r\nContent-Length: 40\r\n\r\n{}" + smuggled, nil),
            ("duplicate Content-Length, same", head + "Content-Length: 2\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}", nil),
            ("Content-Length list", head + "Content-Length: 2, 40\r\n\r\n{}" + smuggled, nil),
            ("signed Content-Length, plus", head + "Content-Length: +2\r\n\r\n{}" + smuggled, nil),
            ("signed Content-Length, minus", head + "Content-Length: -2\r\n\r\n{}" + smuggled, nil),
            ("Content-Length beyond 64 bits", head + "Content-Length: 99999999999999999999999\r\n\r\n{}" + smuggled, nil),
            ("Transfer-Encoding not ending in chunked", head + "Transfer-Encoding: gzip\r\n\r\n{}" + smuggled, nil),
            ("Transfer-Encoding chunked twice", head + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n" + smuggled, nil),
            ("space before a header's colon", head + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n" + smuggled, nil),
            ("obs-fold", head + "X-Folded: a\r\n b\r\nConnection: close\r\n\r\n", nil),
            ("obs-fold in Transfer-Encoding", head + "Transfer-Encoding: identity\r\n chunked\r\n\r\n0\r\n\r\n" + smuggled, nil),
            ("bare LF line ends", "GET /eliminations HTTP/1.1\nHost: x\nConnection: close\n\n", nil),
            ("bare CR line ends", "GET /eliminations HTTP/1.1\rHost: x\rConnection: close\r\r" + smuggled, nil),
        ]
    }()

    @Test("framing and smuggling: a 4xx (408 for a body that never completes) or a close; never a 5xx, a hang or a second answer")
    func framingAndSmuggling() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        var config = root.configuration()
        config.security.rateLimits.addressRate = RateSpec(count: 10_000, periodSeconds: 1)
        config.security.readTimeout = .seconds(1)
        try await buildApplication(config, logger: quietLogger).test(.live) { client in
            let port = try #require(client.port)
            for (name, request, expected) in Self.framing {
                let connection = try RawConnection(port: port, timeout: .seconds(5))
                _ = await offPool { connection.send(request) }
                // The server ends every one of these connections itself: after the answer, or without one.
                guard let reply = await connection.readUntilClosed() else {
                    Issue.record("\(name): the connection is still open after 5 s")
                    continue
                }
                let statuses = RawConnection.statuses(in: reply)
                #expect(statuses.count <= 1 && statuses.allSatisfy { (400..<500).contains($0) }, "\(name): \(statuses)")
                if let expected {
                    #expect(statuses == [expected], "\(name): \(statuses)")
                    #expect(String(decoding: reply, as: UTF8.self).contains(#"{"error": ""#), "\(name)")
                }
            }
            let healthy = try await rawStatus(port: port, Self.request("/miner-hotkeys", headers: ["Authorization: Bearer \(Key.tier0)"]))
            #expect(healthy == 200)
        }
    }

    @Test("each bad request gets a 4xx, never a 5xx or silence, and the server answers normally afterwards")
    func corpus() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        var config = root.configuration()
        // The corpus sends many keyless requests from one address; the per-address limit is not under test here.
        config.security.rateLimits.addressRate = RateSpec(count: 10_000, periodSeconds: 1)
        try await buildApplication(config, logger: quietLogger).test(.live) { client in
            let port = try #require(client.port)
            let cases = Self.routes.flatMap { route in Self.generic(route).map { ("\(route): \($0.0)", $0.1) } } + Self.targeted
            for (name, bytes) in cases {
                let status = try await rawStatus(port: port, bytes)
                #expect(status.map { (400..<500).contains($0) } == true, "\(name): \(status.map(String.init) ?? "no response")")
            }
            let healthy = try await rawStatus(port: port, Self.request("/miner-hotkeys", headers: ["Authorization: Bearer \(Key.tier0)"]))
            #expect(healthy == 200)
        }
    }

    @Test("pipelined requests are answered in order on one connection, a bad one among them included")
    func pipelining() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.live) { client in
            let connection = try RawConnection(port: try #require(client.port))
            let auth = "Authorization: Bearer \(Key.tier0)\r\n"
            connection.send(
                "GET /miner-hotkeys HTTP/1.1\r\nHost: x\r\n\(auth)\r\n" + "GET /eliminations HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /nope HTTP/1.1\r\nHost: x\r\n\(auth)\r\n" + "GET /eliminations HTTP/1.1\r\nHost: x\r\n\(auth)Connection: close\r\n\r\n"
            )
            #expect(await connection.readResponses(4) == [200, 401, 404, 200])
        }
    }

    @Test("HTTP/1.0 with a key is served and the connection closed after the response")
    func http10() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.live) { client in
            let connection = try RawConnection(port: try #require(client.port))
            connection.send("GET /miner-hotkeys HTTP/1.0\r\nAuthorization: Bearer \(Key.tier0)\r\n\r\n")
            let reply = await connection.readAll()
            #expect(RawConnection.statuses(in: reply) == [200])
        }
    }
}
