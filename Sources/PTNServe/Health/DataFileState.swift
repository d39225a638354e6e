/// A served file's state, as `/ready`, the metrics and the console report it.
enum DataFileState: String, Sendable, Encodable {
    /// A version is served and fresher than the staleness bound.
    case loaded
    /// A version is served, older than the bound: the validator may have stopped writing it.
    case stale
    /// No version was ever loaded.
    case missing
    /// The last load attempt failed (the console's word; `/ready` still says what is served).
    case failing
}
