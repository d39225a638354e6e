/// A request refused because a quota is used up: the message of the 429 and its `Retry-After`.
package struct QuotaRefusal: Sendable, Equatable {
    package let message: String
    package let retryAfterSeconds: Int
}
