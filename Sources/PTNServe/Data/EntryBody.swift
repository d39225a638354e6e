import NIOCore
import Synchronization

/// One miner's part of a snapshot: a slice of the document (gzip computed on first demand), or its own gzip member.
final class EntryBody: Sendable {
    private let stored: JSONBody
    private let lazyGzip = Mutex<ByteBuffer?>(nil)

    /// Slices below this size are sent as they are: the header overhead and CPU outweigh the savings.
    static let minimumSize = 16 * 1024

    /// A slice sharing the snapshot's storage; its gzip form is made when a client first asks for it.
    init(slice: ByteBuffer) {
        self.stored = JSONBody(identity: slice)
    }

    private init(stored: JSONBody) {
        self.stored = stored
    }

    /// This entry kept only compressed (tier files), inflated for clients that refuse gzip.
    func compressed() throws -> EntryBody {
        guard let identity = stored.identity else { return self }
        return EntryBody(stored: JSONBody(gzipOnly: try Gzip.compress(identity), identityLength: identity.readableBytes))
    }

    /// The length of the JSON bytes.
    var identityLength: Int { stored.identityLength }

    /// The JSON bytes while they are kept uncompressed (before a stored `.gz` file's compression pass).
    var identity: ByteBuffer? { stored.identity }

    /// The JSON bytes, inflated when the entry is kept only compressed (a filtered answer reads them).
    func identityBytes() throws -> ByteBuffer {
        if let identity = stored.identity { return identity }
        guard let gzip = stored.gzip else { return ByteBuffer() }
        return try Gzip.decompress(gzip)
    }

    /// The body to send, compressing a slice at most once per snapshot (racing first requests may both compress).
    func body(wantsGzip: Bool) -> JSONBody {
        guard let identity = stored.identity, wantsGzip, identity.readableBytes >= Self.minimumSize else { return stored }
        if let cached = lazyGzip.withLock({ $0 }) { return JSONBody(identity: identity, gzip: cached) }
        guard let gzip = try? Gzip.compress(identity) else { return stored }
        lazyGzip.withLock { $0 = gzip }
        return JSONBody(identity: identity, gzip: gzip)
    }
}
