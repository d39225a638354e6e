/// What a key used of its quota in a period: requests (every answer but a 429) and body bytes sent.
package struct QuotaUsage: Sendable, Equatable {
    package var requests: Int64
    package var bytes: Int64

    package init(requests: Int64 = 0, bytes: Int64 = 0) {
        self.requests = requests
        self.bytes = bytes
    }

    static func + (a: QuotaUsage, b: QuotaUsage) -> QuotaUsage {
        QuotaUsage(requests: a.requests + b.requests, bytes: a.bytes + b.bytes)
    }
}
