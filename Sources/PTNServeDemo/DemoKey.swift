/// A demo API key written to `ptn_api/api_keys.json`: its alias, secret and tier.
package struct DemoKey: Sendable, Equatable {
    package let alias: String
    package let key: String
    package let tier: Int

    /// One key per PTN tier (100, 50, 30, 0), deterministic from the seed.
    static func keys(seed: UInt64) -> [DemoKey] {
        TierRule.tiers.map { tier in
            let suffix = DemoDigest.hexString(DemoDigest.bytes(seed: seed, label: "api-key/\(tier)").prefix(12))
            return DemoKey(alias: "demo-tier-\(tier)", key: "demo-\(tier)-\(suffix)", tier: tier)
        }
    }

    /// The PTN key file: `{"alias": {"key": "...", "tier": N}}`.
    static func apiKeysFile(_ keys: [DemoKey]) -> JSONValue {
        .object(keys.map { ($0.alias, .object([("key", .string($0.key)), ("tier", .int(Int64($0.tier)))])) })
    }
}
