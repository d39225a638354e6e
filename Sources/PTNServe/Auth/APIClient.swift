/// Who a request's key belongs to: the alias from the key file (for logs) and the key's tier. Never the key itself.
package struct APIClient: Sendable, Equatable {
    package let alias: String
    package let tier: Int
    /// The key's own rate from the key file (`"rate": "N/UNIT"`), or nil for the server's `--rate-limit`.
    package let rate: RateSpec?
    /// The key's quota, expiry and route scope (`.unlimited` for a key file entry without them).
    package let plan: KeyPlan

    package init(alias: String, tier: Int, rate: RateSpec? = nil, plan: KeyPlan = .unlimited) {
        self.alias = alias
        self.tier = tier
        self.rate = rate
        self.plan = plan
    }
}
