/// A request refused because a quota is used up: the message of the 429 and its `Retry-After`.
public struct QuotaRefusal: Sendable, Equatable {
    public let message: String
    public let retryAfterSeconds: Int
}
