import Foundation

/// The answer of `/ready`: whether the table's required files can be served, and each file's state. No paths, no data.
struct ReadinessReport: Sendable, Encodable, Equatable {
    /// The overall verdict.
    enum Status: String, Sendable, Encodable {
        /// The files readiness depends on are loaded and fresh.
        case ready
        /// They are loaded, but one is older than the staleness bound: the validator may have stopped.
        case degraded
        /// They are not loaded: clients would get 404s.
        case unavailable
    }

    /// One file's state as `/ready` reports it.
    struct FileState: Sendable, Encodable, Equatable {
        /// `loaded`, `stale` (loaded, older than the bound) or `missing` (never loaded).
        let state: DataFileState
        /// Whether readiness depends on it.
        let required: Bool
        /// Seconds since the served version was written, by its modification time.
        let versionAgeSeconds: Double?
        /// Why the last load attempt failed, if it did.
        let lastError: String?
        /// Seconds since the last load attempt.
        let lastAttemptAgeSeconds: Double?
        /// Routes that cannot answer from the served version (it lacks the shape they read), with the reason.
        let routeErrors: [String: String]?

        enum CodingKeys: String, CodingKey {
            case state, required
            case versionAgeSeconds = "version_age_seconds"
            case lastError = "last_error"
            case lastAttemptAgeSeconds = "last_attempt_age_seconds"
            case routeErrors = "route_errors"
        }
    }

    let status: Status
    /// The route table's profile.
    let profile: String
    /// The staleness bound in force.
    let staleAfterSeconds: Double
    /// Every served file, by its name in the route table (`positions`, `positions-tier-30`, ...).
    let files: [String: FileState]
    /// The change feed: its epoch, last sequence and journal (nil when the server has none).
    let feed: FeedStatus?
    /// The database replicas share (nil without `--database`).
    let database: DatabaseStatus?

    enum CodingKeys: String, CodingKey {
        case status, profile
        case staleAfterSeconds = "stale_after_seconds"
        case files, feed, database
    }

    /// 200 while the table's readiness files can be served (degraded included), 503 otherwise.
    var isServing: Bool { status != .unavailable }

    /// Reads the store and the reload history at `now`: ready when every file of one of the table's readiness sets is
    /// loaded, degraded when one of those files is stale.
    static func evaluate(
        table: RouteTable, store: DataStore, status: DataFileStatusBoard, staleAfter: Duration, feed: FeedStatus? = nil,
        database: DatabaseStatus? = nil, now: Date = Date()
    ) -> ReadinessReport {
        let bound = Double(staleAfter.components.seconds) + Double(staleAfter.components.attoseconds) / 1e18
        let required = table.requiredFiles
        var files = [String: FileState]()
        var anyRequiredStale = false
        for file in table.files {
            let history = status.entry(file.name)
            let snapshot = store.snapshot(file.name)
            let age = snapshot.map { max(0, now.timeIntervalSince1970 - $0.signature.modifiedSeconds) }
            let state: DataFileState
            switch age {
            case nil: state = .missing
            case let age? where age > bound: state = .stale
            default: state = .loaded
            }
            if state == .stale, required.contains(file.name) { anyRequiredStale = true }
            files[file.name] = FileState(
                state: state,
                required: required.contains(file.name),
                versionAgeSeconds: age.map(roundedToMillis),
                lastError: history.lastError,
                lastAttemptAgeSeconds: history.lastAttempt.map { roundedToMillis(max(0, now.timeIntervalSince($0))) },
                routeErrors: history.routeProblems.isEmpty ? nil : history.routeProblems
            )
        }
        let loaded = table.readiness.contains { set in set.allSatisfy { store.snapshot($0) != nil } }
        // A database out of reach degrades the service (no new events) but files and live streams are served on.
        let verdict: Status = !loaded ? .unavailable : anyRequiredStale || database?.isDegraded == true ? .degraded : .ready
        return ReadinessReport(status: verdict, profile: table.profile, staleAfterSeconds: bound, files: files, feed: feed, database: database)
    }

    private static func roundedToMillis(_ seconds: Double) -> Double { (seconds * 1000).rounded() / 1000 }
}
