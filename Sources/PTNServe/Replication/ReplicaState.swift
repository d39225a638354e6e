import Synchronization

/// What a replica knows of the shared database: whether its connection is up and the database's last sequence, as
/// the coordinator last saw them; the role and the applied sequence come from the feed itself.
final class ReplicaState: Sendable {
    let feed: ChangeFeed
    let journal: PostgresChangeJournal
    private let seen = Mutex((connected: false, databaseSequence: Int64?.none, problem: String?.none))

    init(feed: ChangeFeed, journal: PostgresChangeJournal) {
        self.feed = feed
        self.journal = journal
    }

    func connected(_ up: Bool, problem: String? = nil) {
        seen.withLock { $0.connected = up; $0.problem = problem }
    }

    func databaseSequence(_ sequence: Int64?) {
        seen.withLock { $0.databaseSequence = sequence }
    }

    /// The status now.
    func status() -> DatabaseStatus {
        let (connected, databaseSequence, problem) = seen.withLock { ($0.connected, $0.databaseSequence, $0.problem) }
        let applied = feed.lastSequence
        let writing = feed.isWriting
        let reason = !connected ? (problem ?? "no connection to the database") : feed.writeFailure
        return DatabaseStatus(
            connected: connected, role: writing ? "writer" : "follower", state: reason == nil ? "ok" : "degraded",
            term: writing ? journal.currentTerm : nil, appliedSequence: applied, databaseSequence: databaseSequence,
            lag: databaseSequence.map { max(0, $0 - applied) }, reason: reason
        )
    }
}
