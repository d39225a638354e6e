/// The hardening settings of `serve`: rate limits, TLS, trusted networks, connection limits and timeouts, shutdown.
public struct SecurityConfiguration: Sendable {
    /// Per-key and per-address rate limits.
    public var rateLimits: RateLimitConfiguration
    /// PEM certificate chain and private key for HTTPS (`--tls-cert`, `--tls-key`); nil serves plain HTTP.
    public var tls: TLSFiles?
    /// Networks allowed to connect (`--allow-from`); empty allows everyone.
    public var allowFrom: [CIDR]
    /// Most simultaneous connections (`--max-connections`); further ones are closed at once.
    public var maxConnections: Int
    /// A connection without a complete request head for this long is closed (`--idle-timeout`): idle keep-alive
    /// connections and slowloris clients dribbling a request head alike.
    public var idleTimeout: Duration
    /// Once a request head arrived, its body must arrive within this (`--read-timeout`).
    public var readTimeout: Duration
    /// How long SIGTERM/SIGINT wait for in-flight responses before cancelling them (`--shutdown-deadline`).
    public var shutdownDeadline: Duration

    public init(
        rateLimits: RateLimitConfiguration = .init(),
        tls: TLSFiles? = nil,
        allowFrom: [CIDR] = [],
        maxConnections: Int = 1000,
        idleTimeout: Duration = .seconds(60),
        readTimeout: Duration = .seconds(10),
        shutdownDeadline: Duration = .seconds(10)
    ) {
        self.rateLimits = rateLimits
        self.tls = tls
        self.allowFrom = allowFrom
        self.maxConnections = maxConnections
        self.idleTimeout = idleTimeout
        self.readTimeout = readTimeout
        self.shutdownDeadline = shutdownDeadline
    }
}
