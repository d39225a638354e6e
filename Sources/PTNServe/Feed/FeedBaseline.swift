import NIOCore

/// What the feed knows of the last version of a file it diffed: its ETag and, for keyed files, a hash per entry and per
/// nested item. The journal keeps it, so a restart compares its first load with the version served before.
package struct FeedBaseline: Sendable, Equatable {
    /// The ETag of the version.
    package var etag: String
    /// Per key (empty for files followed whole).
    package var entries: [String: EntryDigest]

    package init(etag: String, entries: [String: EntryDigest] = [:]) {
        self.etag = etag
        self.entries = entries
    }
}
