import HTTPTypes
import Hummingbird
import NIOCore

/// Builds responses straight from in-memory JSON bytes, choosing the identity or the precomputed gzip form.
enum JSONResponse {
    /// How eager a route is to send gzip.
    enum GzipPolicy {
        /// PTN's gzip passthrough (tier files): gzip unless the client's Accept-Encoding rules it out.
        case unlessRefused
        /// Gzip only for clients that ask for it, so the seed's plain curl lines still get JSON.
        case whenAccepted
    }

    /// Bodies smaller than this are not worth a Content-Encoding.
    static let minimumGzipSize = 1024

    /// A 200 response with `body`, gzip-encoded when `policy` and the request's Accept-Encoding agree.
    static func ok(_ body: JSONBody, for request: Request, policy: GzipPolicy = .whenAccepted) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        let acceptEncoding = AcceptEncoding(request.headers[values: .acceptEncoding])
        let sendGzip: Bool
        switch policy {
        case .unlessRefused: sendGzip = acceptEncoding != .refusesGzip
        case .whenAccepted: sendGzip = acceptEncoding == .acceptsGzip && body.identity.readableBytes >= minimumGzipSize
        }
        if let gzip = body.gzip {
            headers[.vary] = "Accept-Encoding"
            if sendGzip {
                headers[.contentEncoding] = "gzip"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: gzip))
            }
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body.identity))
    }

    /// A 200 response with a small rendered document that has no gzip form.
    static func ok(_ bytes: ByteBuffer, for request: Request) -> Response {
        ok(JSONBody(identity: bytes), for: request)
    }

    /// A 200 response with a slice of a snapshot, compressed (once per snapshot) only for clients that ask for gzip.
    static func ok(_ slice: LazyGzipBody, for request: Request) -> Response {
        let wantsGzip = AcceptEncoding(request.headers[values: .acceptEncoding]) == .acceptsGzip
        return ok(slice.body(wantsGzip: wantsGzip), for: request)
    }
}
