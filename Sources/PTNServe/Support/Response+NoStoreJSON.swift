import Hummingbird

extension Response {
    /// A JSON answer that is about this moment or this key (readiness, usage, a page of changes), so no cache keeps it.
    static func noStoreJSON(_ body: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"], body: .init(byteBuffer: body))
    }
}
