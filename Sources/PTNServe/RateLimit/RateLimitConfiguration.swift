/// The rate limits `serve` enforces: per key (default and per-key overrides) and per client address for keyless requests.
package struct RateLimitConfiguration: Sendable {
    /// Rate of a key without its own `"rate"` (`--rate-limit`).
    package var keyRate: RateSpec
    /// Rate of requests without a valid key, per client address (`--ip-rate-limit`).
    package var addressRate: RateSpec
    /// Take the client address from the last `X-Forwarded-For` entry (`--trust-proxy`), for a server behind a proxy.
    package var trustProxy: Bool
    /// Most buckets kept per table.
    package var tableCapacity: Int

    package init(
        keyRate: RateSpec,
        addressRate: RateSpec,
        trustProxy: Bool,
        tableCapacity: Int = 100_000
    ) {
        self.keyRate = keyRate
        self.addressRate = addressRate
        self.trustProxy = trustProxy
        self.tableCapacity = tableCapacity
    }
}
