import HTTPTypes
import Hummingbird
import NIOCore

/// Builds answers straight from in-memory JSON bytes: identity or precomputed gzip, with validators and ranges.
enum JSONResponse {
    /// Bodies smaller than this are not worth a Content-Encoding.
    static let minimumGzipSize = 1024

    /// A 200 (or 304 / 206) response with `body`, gzip-encoded when `policy` and the request's Accept-Encoding agree.
    /// `ranges` enables `Range` requests, for whole files (a 150 MB checkpoint download can resume).
    static func ok(
        _ body: JSONBody,
        version: ContentVersion,
        for request: Request,
        policy: TableRoute.GzipPolicy = .whenAccepted,
        ranges: Bool = false
    ) throws -> PreparedResponse {
        let acceptEncoding = AcceptEncoding(request.headers[values: .acceptEncoding])
        let wantsGzip: Bool
        switch policy {
        case .unlessRefused: wantsGzip = acceptEncoding != .refusesGzip
        // A body held only as gzip goes out as it is stored, whatever its size: cheaper than inflating it.
        case .whenAccepted: wantsGzip = acceptEncoding == .acceptsGzip && (body.identity == nil || body.identityLength >= minimumGzipSize)
        }
        let gzip = wantsGzip ? body.gzip : nil
        // Each representation has its own strong tag: a gzip range must never be spliced onto identity bytes.
        let etag = "\"\(version.tag)\(gzip == nil ? "" : "-gz")\""

        var headers = HTTPFields()
        headers[.eTag] = etag
        headers[.lastModified] = version.lastModified
        // The representation depends on Accept-Encoding whenever a gzip form exists or may exist once compaction ends.
        if body.gzip != nil || policy == .unlessRefused || body.identityLength >= minimumGzipSize { headers[.vary] = "Accept-Encoding" }
        if ConditionalRequest.isNotModified(request, etag: etag, version: version) {
            return PreparedResponse(status: .notModified, headers: headers)
        }
        headers[.contentType] = "application/json"
        if gzip != nil { headers[.contentEncoding] = "gzip" }
        guard let bytes = gzip ?? body.identity else {
            return PreparedResponse(status: .ok, headers: headers, body: .inflating(gzip: body.gzip ?? ByteBuffer(), length: body.identityLength))
        }
        guard ranges else { return PreparedResponse(status: .ok, headers: headers, body: .bytes(bytes)) }

        headers[.acceptRanges] = "bytes"
        let range = ConditionalRequest.rangeApplies(request, etag: etag, version: version)
            ? ByteRange(header: request.headers[.range], length: bytes.readableBytes) : .ignored
        switch range {
        case .ignored:
            return PreparedResponse(status: .ok, headers: headers, body: .bytes(bytes))
        case .unsatisfiable:
            throw APIError.rangeNotSatisfiable(length: bytes.readableBytes)
        case .satisfiable(let part):
            headers[.contentRange] = "bytes \(part.lowerBound)-\(part.upperBound - 1)/\(bytes.readableBytes)"
            let slice = bytes.view(at: part.lowerBound, length: part.count)!
            return PreparedResponse(status: .partialContent, headers: headers, body: .bytes(slice))
        }
    }

    /// A response with one miner's part of a snapshot, gzip only for clients that ask for it.
    static func ok(_ entry: EntryBody, version: ContentVersion, for request: Request) throws -> PreparedResponse {
        let wantsGzip = AcceptEncoding(request.headers[values: .acceptEncoding]) == .acceptsGzip
        return try ok(entry.body(wantsGzip: wantsGzip), version: version, for: request)
    }
}
