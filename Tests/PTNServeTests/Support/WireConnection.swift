import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A keep-alive connection that sends one request at a time and reads exactly its answer.
final class WireConnection: @unchecked Sendable {
    private let connection: RawConnection
    private var buffered = Data()

    init(port: Int) throws {
        connection = try RawConnection(port: port, timeout: .seconds(10))
    }

    /// Sends `request` and returns its answer (nil if the connection closed or timed out first).
    func exchange(_ request: String, isHead: Bool) -> WireResponse? {
        guard connection.send(request) else { return nil }
        return next(isHead: isHead)
    }

    /// The next whole answer from the connection.
    func next(isHead: Bool) -> WireResponse? {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let parsed = WireResponse.parseAll(buffered, heads: [isHead])
            if let first = parsed.responses.first {
                let consumed = Self.length(of: first, isHead: isHead)
                buffered = buffered.dropFirst(consumed)
                buffered = Data(buffered)
                return first
            }
            let count = recv(connection.fd, &chunk, chunk.count, 0)
            if count <= 0 { return nil }
            buffered.append(contentsOf: chunk[0..<count])
        }
    }

    private static func length(of response: WireResponse, isHead: Bool) -> Int {
        let head = ([response.statusLine] + response.fields.map { "\($0.name): \($0.value)" }).joined(separator: "\r\n") + "\r\n\r\n"
        return head.utf8.count + response.body.count
    }
}
