/// One key's use of one route in one hour (UTC): the unit usage is kept, exported and billed in.
public struct UsageRow: Sendable, Equatable, Hashable {
    public let alias: String
    /// The route template (`/miner-positions/{hotkey}`), or `ws` for the WebSocket.
    public let route: String
    /// The hour's start, in seconds since 1970.
    public let hourStart: Int64
    public var requests: Int64
    /// Body bytes sent (after compression).
    public var bytes: Int64
    /// Answers with a 4xx status, 429s included.
    public var clientErrors: Int64
    /// Answers with status 429 (rate limit or quota).
    public var rateLimited: Int64
    /// Seconds streams (SSE, WebSocket) of this key were open in the hour.
    public var streamSeconds: Int64

    public init(
        alias: String, route: String, hourStart: Int64, requests: Int64 = 0, bytes: Int64 = 0, clientErrors: Int64 = 0,
        rateLimited: Int64 = 0, streamSeconds: Int64 = 0
    ) {
        self.alias = alias
        self.route = route
        self.hourStart = hourStart
        self.requests = requests
        self.bytes = bytes
        self.clientErrors = clientErrors
        self.rateLimited = rateLimited
        self.streamSeconds = streamSeconds
    }

    /// Adds `other`'s counts (same key, route and hour).
    mutating func add(_ other: UsageRow) {
        requests += other.requests
        bytes += other.bytes
        clientErrors += other.clientErrors
        rateLimited += other.rateLimited
        streamSeconds += other.streamSeconds
    }

    /// What a quota counts of this row: requests but 429s, and every byte.
    var quotaUsage: QuotaUsage { QuotaUsage(requests: requests - rateLimited, bytes: bytes) }
}
