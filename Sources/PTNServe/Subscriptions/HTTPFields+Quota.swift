import HTTPTypes

extension HTTPField.Name {
    /// IETF RateLimit header fields of draft-ietf-httpapi-ratelimit-headers (version 7 on): the quota policies and
    /// what is left of each.
    static let rateLimitPolicy = HTTPField.Name("RateLimit-Policy")!
    static let rateLimit = HTTPField.Name("RateLimit")!
}

extension HTTPFields {
    /// Adds `RateLimit-Policy` and `RateLimit` for `standing`, counting `requests` and `bytes` more than it holds
    /// (the answer being sent). The request policy is named after the period (`"month"`), the byte policy
    /// `"month-bytes"` with `qu="content-bytes"`.
    mutating func addQuotaFields(_ standing: QuotaStanding, requests: Int64, bytes: Int64) {
        let period = standing.quota.period
        var policies = [String]()
        var states = [String]()
        if let limit = standing.quota.requests, let remaining = standing.remainingRequests(after: requests) {
            policies.append("\"\(period.rawValue)\";q=\(limit);w=\(period.windowSeconds)")
            states.append("\"\(period.rawValue)\";r=\(remaining);t=\(standing.secondsToRefill)")
        }
        if let limit = standing.quota.bytes, let remaining = standing.remainingBytes(after: bytes) {
            policies.append("\"\(period.rawValue)-bytes\";q=\(limit);qu=\"content-bytes\";w=\(period.windowSeconds)")
            states.append("\"\(period.rawValue)-bytes\";r=\(remaining);t=\(standing.secondsToRefill)")
        }
        self[.rateLimitPolicy] = policies.joined(separator: ", ")
        self[.rateLimit] = states.joined(separator: ", ")
    }
}
