/// What a follower receives: events in sequence order, keep-alive ticks, and at most one final cut-off or closing.
enum FeedMessage: Sendable, Equatable {
    case event(ChangeEvent)
    /// Nothing happened for a while: transports send their keep-alive.
    case keepAlive
    /// The follower fell too far behind and is dropped; it resumes after `resumeAfter` (the last sequence it got).
    case cutOff(resumeAfter: Int64)
    /// The server is shutting down: the stream ends now; the client reconnects (to this or another server) and resumes
    /// after `resumeAfter`.
    case closing(resumeAfter: Int64)
}

/// Where a follow starts: the history it can replay, as the opening message of every transport says.
struct FollowStart: Sendable, Equatable {
    let epoch: String
    /// The sequence asked to resume after, if any.
    let requested: Int64?
    /// The oldest sequence the journal holds (`lastSequence + 1` when it holds none).
    let firstSequence: Int64
    /// The last sequence published when the follow started: replay ends there, live events follow.
    let lastSequence: Int64
    /// Whether every event after `requested` is still held (false: re-fetch over REST, then follow from `lastSequence`).
    let replayAvailable: Bool
}
