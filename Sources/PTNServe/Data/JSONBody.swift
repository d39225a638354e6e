import NIOCore

/// A JSON response body held in memory: its identity bytes, its gzip form, or both.
struct JSONBody: Sendable {
    /// The JSON bytes; nil for a large `.gz` file kept only compressed (the checkpoint), inflated per request instead.
    let identity: ByteBuffer?
    /// The same document gzip-compressed, if available.
    let gzip: ByteBuffer?
    /// Length of the JSON document in bytes, known even when only the gzip form is kept.
    let identityLength: Int

    init(identity: ByteBuffer, gzip: ByteBuffer? = nil) {
        self.identity = identity
        self.gzip = gzip
        self.identityLength = identity.readableBytes
    }

    /// A body kept only as gzip: the document is `identityLength` bytes once inflated.
    init(gzipOnly gzip: ByteBuffer, identityLength: Int) {
        self.identity = nil
        self.gzip = gzip
        self.identityLength = identityLength
    }
}
