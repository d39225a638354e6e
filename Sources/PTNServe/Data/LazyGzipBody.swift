import NIOCore
import Synchronization

/// A slice of a snapshot whose gzip form is computed on first demand and then kept for the snapshot's lifetime.
public final class LazyGzipBody: Sendable {
    /// The JSON bytes, sharing the snapshot's storage.
    public let identity: ByteBuffer
    private let compressed = Mutex<ByteBuffer?>(nil)

    /// Slices below this size are sent as they are: the header overhead and CPU outweigh the savings.
    static let minimumSize = 16 * 1024

    init(_ identity: ByteBuffer) {
        self.identity = identity
    }

    /// The body with its gzip form, compressing at most once per snapshot (racing first requests may both compress).
    public func body(wantsGzip: Bool) -> JSONBody {
        guard wantsGzip, identity.readableBytes >= Self.minimumSize else { return JSONBody(identity: identity) }
        if let cached = compressed.withLock({ $0 }) { return JSONBody(identity: identity, gzip: cached) }
        guard let gzip = try? Gzip.compress(identity) else { return JSONBody(identity: identity) }
        compressed.withLock { $0 = gzip }
        return JSONBody(identity: identity, gzip: gzip)
    }
}
