import Foundation

/// The answer of `/ready`: whether the positions can be served, and each file's state. No paths, no data.
public struct ReadinessReport: Sendable, Encodable, Equatable {
    /// The overall verdict.
    public enum Status: String, Sendable, Encodable {
        /// The positions are loaded and fresh.
        case ready
        /// The positions are loaded, but a positions file is older than the staleness bound: the validator may have stopped.
        case degraded
        /// The positions are not loaded: clients would get 404s.
        case unavailable
    }

    /// One file's state as `/ready` reports it.
    public struct FileState: Sendable, Encodable, Equatable {
        /// `loaded`, `stale` (loaded, older than the bound) or `missing` (never loaded).
        public let state: String
        /// Whether readiness depends on it.
        public let required: Bool
        /// Seconds since the served version was written, by its modification time.
        public let versionAgeSeconds: Double?
        /// Why the last load attempt failed, if it did.
        public let lastError: String?
        /// Seconds since the last load attempt.
        public let lastAttemptAgeSeconds: Double?

        enum CodingKeys: String, CodingKey {
            case state, required
            case versionAgeSeconds = "version_age_seconds"
            case lastError = "last_error"
            case lastAttemptAgeSeconds = "last_attempt_age_seconds"
        }
    }

    public let status: Status
    /// The staleness bound in force.
    public let staleAfterSeconds: Double
    /// Every served file, by its log name (`positions`, `positions-tier-30`, ...).
    public let files: [String: FileState]

    enum CodingKeys: String, CodingKey {
        case status
        case staleAfterSeconds = "stale_after_seconds"
        case files
    }

    /// 200 while the positions can be served (degraded included), 503 otherwise.
    public var isServing: Bool { status != .unavailable }

    /// The files readiness depends on: the positions, as output.json or the tier files a validator writes with it.
    static func isRequired(_ file: ServedFile) -> Bool {
        switch file {
        case .positions, .tieredPositions: true
        default: false
        }
    }

    /// Reads the store and the reload history at `now`.
    public static func evaluate(store: DataStore, status: DataFileStatusBoard, staleAfter: Duration, now: Date = Date()) -> ReadinessReport {
        let bound = Double(staleAfter.components.seconds) + Double(staleAfter.components.attoseconds) / 1e18
        var files = [String: FileState]()
        var anyRequiredStale = false
        for file in ServedFile.allCases {
            let history = status.entry(file)
            let snapshot = store.snapshot(file)
            let age = snapshot.map { max(0, now.timeIntervalSince1970 - $0.signature.modifiedSeconds) }
            let state: String
            switch age {
            case nil: state = "missing"
            case let age? where age > bound: state = "stale"
            default: state = "loaded"
            }
            if state == "stale", isRequired(file) { anyRequiredStale = true }
            files[file.description] = FileState(
                state: state,
                required: isRequired(file),
                versionAgeSeconds: age.map(roundedToMillis),
                lastError: history.lastError,
                lastAttemptAgeSeconds: history.lastAttempt.map { roundedToMillis(max(0, now.timeIntervalSince($0))) }
            )
        }
        let allTiers = ServedFile.Tier.allCases.allSatisfy { store.snapshot(.tieredPositions($0)) != nil }
        let positionsLoaded = store.snapshot(.positions) != nil || allTiers
        let verdict: Status = !positionsLoaded ? .unavailable : anyRequiredStale ? .degraded : .ready
        return ReadinessReport(status: verdict, staleAfterSeconds: bound, files: files)
    }

    private static func roundedToMillis(_ seconds: Double) -> Double { (seconds * 1000).rounded() / 1000 }
}
