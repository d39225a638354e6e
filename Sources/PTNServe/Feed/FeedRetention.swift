/// How much history the journal keeps and how far behind a follower may fall. Its defaults are the options' (`--feed-*`).
package struct FeedRetention: Sendable, Equatable {
    /// Events older than this are dropped.
    package var maxAge: Duration
    /// At most this many events are kept.
    package var maxEvents: Int
    /// A follower with this many undelivered events is cut off with a resume hint.
    package var lagLimit: Int

    package init(maxAge: Duration, maxEvents: Int, lagLimit: Int) {
        self.maxAge = maxAge
        self.maxEvents = maxEvents
        self.lagLimit = lagLimit
    }
}
