import NIOCore

/// What the feed knows of the last version of a file it diffed: its ETag and, for keyed files, a hash per entry and per
/// nested item. The journal keeps it, so a restart compares its first load with the version served before.
public struct FeedBaseline: Sendable, Equatable {
    /// The ETag of the version.
    public var etag: String
    /// Per key (empty for files followed whole).
    public var entries: [String: EntryDigest]

    public init(etag: String, entries: [String: EntryDigest] = [:]) {
        self.etag = etag
        self.entries = entries
    }
}
