import NIOCore

/// A JSON response body held in memory, with its gzip form when one was computed.
public struct JSONBody: Sendable {
    /// The JSON bytes.
    public let identity: ByteBuffer
    /// The same document gzip-compressed, if available.
    public let gzip: ByteBuffer?

    public init(identity: ByteBuffer, gzip: ByteBuffer? = nil) {
        self.identity = identity
        self.gzip = gzip
    }
}
