import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import PTNServe

@Suite("Connections over a real socket: allow-from, the connection cap, timeouts")
struct ConnectionGuardTests {
    typealias Key = TestDataRoot.Key

    static func live(_ root: TestDataRoot, _ configure: (inout SecurityConfiguration) -> Void, _ body: @Sendable (Int) async throws -> Void)
        async throws
    {
        var config = root.configuration()
        configure(&config.security)
        try await buildApplication(config, logger: quietLogger).test(.live) { client in
            try await body(try #require(client.port))
        }
    }

    static let hotkeysRequest = "GET /miner-hotkeys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(TestDataRoot.Key.tier0)\r\nConnection: close\r\n\r\n"

    @Test("a peer outside --allow-from is closed before any HTTP is read; inside, it is served")
    func allowFrom() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await Self.live(root, { $0.allowFrom = [CIDR(parsing: "10.0.0.0/8")!, CIDR(parsing: "2001:db8::/32")!] }) { port in
            let connection = try RawConnection(port: port)
            connection.send(Self.hotkeysRequest)
            #expect(await connection.readAll().isEmpty)
        }
        try await Self.live(root, { $0.allowFrom = [CIDR(parsing: "127.0.0.0/8")!] }) { port in
            let status = try await rawStatus(port: port, Data(Self.hotkeysRequest.utf8))
            #expect(status == 200)
        }
    }

    @Test("connections beyond --max-connections are closed at once; the server stays responsive and recovers")
    func connectionCap() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await Self.live(root, { $0.maxConnections = 3 }) { port in
            // The test framework's own client may hold a slot, so count what is served rather than assume.
            var held = [RawConnection]()
            var refused = 0
            for _ in 0..<5 {
                let connection = try RawConnection(port: port, timeout: .seconds(3))
                connection.send("GET /miner-hotkeys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(Key.tier0)\r\n\r\n")
                if await connection.readResponses(1) == [200] { held.append(connection) } else { refused += 1 }
            }
            #expect((2...3).contains(held.count))
            #expect(refused == 5 - held.count)
            let excess = try RawConnection(port: port, timeout: .seconds(3))
            #expect(await excess.isClosedByPeer())
            held.removeAll()
            let recovered = await eventually(timeout: .seconds(3)) {
                (try? await rawStatus(port: port, Data(Self.hotkeysRequest.utf8))) == 200
            }
            #expect(recovered)
        }
    }

    @Test("a slowloris client dribbling a request head is cut off by the idle timeout; a slow body gets 408 at the read timeout")
    func slowloris() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await Self.live(root, { $0.idleTimeout = .seconds(1); $0.readTimeout = .seconds(1) }) { port in
            let head = try RawConnection(port: port, timeout: .seconds(4))
            let start = ContinuousClock.now
            var cut = false
            for byte in "GET /miner-hotkeys HTTP/1.1\r\nHost: x\r\nX-Slow: ".utf8 {
                if !head.send(Data([byte])) { cut = true; break }
                try await Task.sleep(for: .milliseconds(200))
                if ContinuousClock.now - start > .seconds(4) { break }
            }
            // Closed by the server, not by the test giving up: without the idle timeout nothing would end it, and the
            // read below would time out (4 s) with the connection still open.
            let closed = cut ? true : await head.isClosedByPeer()
            #expect(closed)
        }
        // The idle timeout far off, as by default (60 s against 10 s), so that only the read timeout can end these.
        try await Self.live(root, { $0.idleTimeout = .seconds(30); $0.readTimeout = .seconds(1) }) { port in
            // As nginx does: 408 with the usual JSON error, then the connection closes.
            let body = try RawConnection(port: port, timeout: .seconds(10))
            body.send("GET /miner-hotkeys HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"api_key\": ")
            let reply = try #require(await body.readUntilClosed())
            #expect(RawConnection.statuses(in: reply) == [408])
            let text = String(decoding: reply, as: UTF8.self)
            #expect(text.hasSuffix(#"{"error": "Request body not received in time"}"#))
            #expect(text.lowercased().contains("connection: close\r\n"))
            // A keyed request is answered without its body; the body that never comes then ends the connection.
            let keyed = try RawConnection(port: port, timeout: .seconds(10))
            keyed.send("GET /miner-hotkeys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(Key.tier0)\r\nContent-Length: 1000\r\n\r\n{")
            let keyedReply = try #require(await keyed.readUntilClosed())
            #expect(RawConnection.statuses(in: keyedReply) == [200])
            // Meanwhile everyone else is served.
            let status = try await rawStatus(port: port, Data(Self.hotkeysRequest.utf8))
            #expect(status == 200)
        }
    }
}
