/// Who a request's key belongs to: the alias from the key file (for logs) and the key's tier. Never the key itself.
public struct APIClient: Sendable, Equatable {
    public let alias: String
    public let tier: Int
}
