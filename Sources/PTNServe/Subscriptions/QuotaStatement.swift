/// A key's quota as the buyer (`GET /usage`) and the operator console show it: the period, when it refills, and each
/// limit with what is used and left of it, from the meter the quota is enforced with.
struct QuotaStatement: Sendable, Encodable {
    /// One limit of the quota.
    struct Amount: Sendable, Encodable {
        let limit: Int64
        let used: Int64
        let remaining: Int64
    }

    let period: String
    let refillsAt: String
    let requests: Amount?
    let bytes: Amount?

    enum CodingKeys: String, CodingKey {
        case period, requests, bytes
        case refillsAt = "refills_at"
    }

    init(_ standing: QuotaStanding) {
        period = standing.quota.period.rawValue
        refillsAt = KeyPlan.timeText(standing.refillsAt)
        requests = standing.quota.requests.map { Amount(limit: $0, used: standing.used.requests, remaining: standing.remainingRequests() ?? 0) }
        bytes = standing.quota.bytes.map { Amount(limit: $0, used: standing.used.bytes, remaining: standing.remainingBytes() ?? 0) }
    }

    /// The same as a JSON object for `JSONSerialization`.
    var object: [String: Any] {
        func amount(_ amount: Amount) -> [String: Any] { ["limit": amount.limit, "used": amount.used, "remaining": amount.remaining] }
        var object: [String: Any] = ["period": period, "refills_at": refillsAt]
        if let requests { object["requests"] = amount(requests) }
        if let bytes { object["bytes"] = amount(bytes) }
        return object
    }
}
