import HTTPTypes
import Hummingbird
import NIOCore

/// A decided answer not yet written: status, header fields and body. The table routes' decision makes these, so that
/// Hummingbird (as a `Response`) and the fast lane (as HTTP parts on the event loop) write the very same answer.
struct PreparedResponse: Sendable {
    /// What follows the head.
    enum Body: Sendable {
        case bytes(ByteBuffer)
        case empty
        /// A document held only as gzip (`length` bytes once inflated), inflated while it is sent: only Hummingbird's
        /// async writer can send it.
        case inflating(gzip: ByteBuffer, length: Int)
    }

    var status: HTTPResponse.Status
    var headers: HTTPFields
    let body: Body

    /// Adds `Content-Length` where Hummingbird's `Response` adds it (at creation, after the fields given), so that the
    /// field order is the same on both lanes.
    init(status: HTTPResponse.Status, headers: HTTPFields = [:], body: Body = .empty) {
        self.status = status
        self.headers = headers
        self.body = body
        if !self.headers.contains(.contentLength) { self.headers[.contentLength] = String(contentLength) }
    }

    /// The body's length in bytes (the inflated length for `.inflating`).
    var contentLength: Int {
        switch body {
        case .bytes(let bytes): bytes.readableBytes
        case .empty: 0
        case .inflating(_, let length): length
        }
    }

    /// The same answer as Hummingbird's `Response`.
    var response: Response {
        switch body {
        case .bytes(let bytes): Response(status: status, headers: headers, body: .init(byteBuffer: bytes))
        case .empty: Response(status: status, headers: headers, body: .init())
        case .inflating(let gzip, let length): Response(status: status, headers: headers, body: Self.inflating(gzip, length: length))
        }
    }

    /// The identity of a body kept only as gzip, inflated while it is sent (no ranges: it is not held anywhere).
    private static func inflating(_ gzip: ByteBuffer, length: Int) -> ResponseBody {
        ResponseBody(contentLength: length) { writer in
            try await Gzip.inflateInPieces(gzip) { piece in try await writer.write(piece) }
            try await writer.finish(nil)
        }
    }
}
