/// What a key used of its quota in a period: requests (every answer but a 429) and body bytes sent.
public struct QuotaUsage: Sendable, Equatable {
    public var requests: Int64
    public var bytes: Int64

    public init(requests: Int64 = 0, bytes: Int64 = 0) {
        self.requests = requests
        self.bytes = bytes
    }

    static func + (a: QuotaUsage, b: QuotaUsage) -> QuotaUsage {
        QuotaUsage(requests: a.requests + b.requests, bytes: a.bytes + b.bytes)
    }
}
