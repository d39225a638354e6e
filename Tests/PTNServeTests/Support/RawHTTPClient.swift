import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A loopback TCP client for sending exactly the bytes a test wants (malformed requests, pipelining, slow writers)
/// and reading whatever comes back. Every read has a timeout so a test can never hang, and every read runs on its own
/// thread: a blocking read on Swift's cooperative pool (2 threads here) would starve the in-process server under test.
final class RawConnection: @unchecked Sendable {
    let fd: Int32

    init(port: Int, timeout: Duration = .seconds(30)) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw ProcessFailure(description: "cannot connect to 127.0.0.1:\(port)")
        }
        var value = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
        // A server closing on a bad request must fail our send, not kill the test process.
        signal(SIGPIPE, SIG_IGN)
    }

    deinit { close(fd) }

    /// Sends all of `bytes`; false if the peer closed.
    @discardableResult
    func send(_ bytes: Data) -> Bool {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let sent = Glibc.send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                if sent <= 0 { return false }
                offset += sent
            }
            return true
        }
    }

    @discardableResult
    func send(_ text: String) -> Bool { send(Data(text.utf8)) }

    /// Reads until the peer closes or the timeout passes; returns what arrived.
    func readAll() async -> Data { await offPool { self.readAllBlocking() } }

    /// Reads until `count` responses' status lines are seen (or close/timeout); for keep-alive and pipelining.
    func readResponses(_ count: Int) async -> [Int] { await offPool { self.readResponsesBlocking(count) } }

    /// Whether the peer has closed the connection (a read returns 0) within the socket timeout.
    func isClosedByPeer() async -> Bool { await offPool { self.isClosedByPeerBlocking() } }

    /// Everything that arrived before the peer closed the connection; nil if it was still open at the socket timeout.
    func readUntilClosed() async -> Data? { await offPool { self.readUntilClosedBlocking() } }

    private func readAllBlocking() -> Data {
        var result = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            result.append(contentsOf: buffer[0..<count])
        }
        return result
    }

    private func readResponsesBlocking(_ count: Int) -> [Int] {
        var result = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while Self.statuses(in: result).count < count || !Self.complete(result, responses: count) {
            let read = recv(fd, &buffer, buffer.count, 0)
            if read <= 0 { break }
            result.append(contentsOf: buffer[0..<read])
        }
        return Self.statuses(in: result)
    }

    private func readUntilClosedBlocking() -> Data? {
        var result = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count > 0 {
                result.append(contentsOf: buffer[0..<count])
            } else if count == 0 || errno == ECONNRESET {
                return result
            } else if errno != EINTR {
                return nil
            }
        }
    }

    private func isClosedByPeerBlocking() -> Bool {
        var byte: UInt8 = 0
        while true {
            let count = recv(fd, &byte, 1, 0)
            if count == 0 { return true }
            if count < 0 { return errno == ECONNRESET }
        }
    }

    /// Status codes of every HTTP/1.x status line in `data` (a body without a final newline runs straight into the
    /// next status line, so lines are not split on).
    static func statuses(in data: Data) -> [Int] {
        let text = String(decoding: data, as: UTF8.self)
        var result = [Int]()
        var rest = text[...]
        while let range = rest.range(of: "HTTP/1.") {
            let after = rest[range.upperBound...]
            if after.count >= 5, let code = Int(after.dropFirst(2).prefix(3)) { result.append(code) }
            rest = after
        }
        return result
    }

    /// Rough completeness: each response's Content-Length worth of body after its header block.
    private static func complete(_ data: Data, responses: Int) -> Bool {
        let text = String(decoding: data, as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n\r\n")
        return parts.count > responses
    }
}

/// One request over a fresh connection; returns the status of the first response, or nil if none came.
func rawStatus(port: Int, _ request: Data) async throws -> Int? {
    let connection = try RawConnection(port: port)
    _ = await offPool { connection.send(request) }
    return await connection.readResponses(1).first
}

/// Runs blocking work on a thread of its own, off Swift's cooperative pool.
func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: work()) }
    }
}

