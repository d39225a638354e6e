/// The shared database as `/ready` and the console show it, on a replica started with `--database`.
struct DatabaseStatus: Sendable, Encodable, Equatable {
    /// Whether this replica's own connection to the database (the writer lock, the wake-ups) is up.
    let connected: Bool
    /// `writer` (holds the writer lock: diffs new versions and appends) or `follower` (serves what the writer appends).
    let role: String
    /// `ok`, or `degraded`: the database cannot be reached, or the writer cannot write (`reason` says why). Files and
    /// live streams are served on from what this replica has.
    let state: String
    /// The writer's term (bumped at each takeover); nil on a follower.
    let term: Int64?
    /// The last sequence this replica handed to its followers.
    let appliedSequence: Int64
    /// The last sequence in the database, as last read (nil before the first read).
    let databaseSequence: Int64?
    /// How many events this replica is behind the database.
    let lag: Int64?
    let reason: String?

    enum CodingKeys: String, CodingKey {
        case connected, role, state, term, lag, reason
        case appliedSequence = "applied_sequence"
        case databaseSequence = "database_sequence"
    }

    /// Whether `/ready` should say `degraded`.
    var isDegraded: Bool { state != "ok" }
}
