/// One key's use of one route in one hour (UTC): the unit usage is kept, exported and billed in.
package struct UsageRow: Sendable, Equatable, Hashable {
    package let alias: String
    /// The route template (`/miner-positions/{hotkey}`), or `ws` for the WebSocket.
    package let route: String
    /// The hour's start, in seconds since 1970.
    package let hourStart: Int64
    package var requests: Int64
    /// Body bytes sent (after compression).
    package var bytes: Int64
    /// Answers with a 4xx status, 429s included.
    package var clientErrors: Int64
    /// Answers with status 429 (rate limit or quota).
    package var rateLimited: Int64
    /// Seconds streams (SSE, WebSocket) of this key were open in the hour.
    package var streamSeconds: Int64

    package init(
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
