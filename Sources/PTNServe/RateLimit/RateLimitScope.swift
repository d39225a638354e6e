/// What a rate-limited request was counted against; metric labels use it, so it never holds a key.
public enum RateLimitScope: Sendable, Equatable {
    /// A key, named by its alias from the key file.
    case key(alias: String)
    /// A client address presenting no valid key (the address itself is left out of labels: unbounded cardinality).
    case clientAddress
}

/// Called once per request refused with 429; the metrics work plugs a counter in here.
public typealias RateLimitObserver = @Sendable (RateLimitScope) -> Void
