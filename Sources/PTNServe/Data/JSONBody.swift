import NIOCore

/// A JSON response body held in memory: its identity bytes, its gzip form, or both.
public struct JSONBody: Sendable {
    /// The JSON bytes; nil for a large `.gz` file kept only compressed (the checkpoint), inflated per request instead.
    public let identity: ByteBuffer?
    /// The same document gzip-compressed, if available.
    public let gzip: ByteBuffer?
    /// Length of the JSON document in bytes, known even when only the gzip form is kept.
    public let identityLength: Int

    public init(identity: ByteBuffer, gzip: ByteBuffer? = nil) {
        self.identity = identity
        self.gzip = gzip
        self.identityLength = identity.readableBytes
    }

    /// A body kept only as gzip: the document is `identityLength` bytes once inflated.
    public init(gzipOnly gzip: ByteBuffer, identityLength: Int) {
        self.identity = nil
        self.gzip = gzip
        self.identityLength = identityLength
    }
}
