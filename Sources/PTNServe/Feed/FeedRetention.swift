/// How much history the journal keeps and how far behind a follower may fall.
public struct FeedRetention: Sendable, Equatable {
    /// Events older than this are dropped.
    public var maxAge: Duration
    /// At most this many events are kept.
    public var maxEvents: Int
    /// A follower with this many undelivered events is cut off with a resume hint.
    public var lagLimit: Int

    public init(maxAge: Duration = .seconds(86_400), maxEvents: Int = 200_000, lagLimit: Int = 10_000) {
        self.maxAge = maxAge
        self.maxEvents = maxEvents
        self.lagLimit = lagLimit
    }
}
