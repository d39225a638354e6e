/// The rate limits `serve` enforces: per key (default and per-key overrides) and per client address for keyless requests.
public struct RateLimitConfiguration: Sendable {
    /// Rate of a key without its own `"rate"` (`--rate-limit`).
    public var keyRate: RateSpec
    /// Rate of requests without a valid key, per client address (`--ip-rate-limit`).
    public var addressRate: RateSpec
    /// Take the client address from the last `X-Forwarded-For` entry (`--trust-proxy`), for a server behind a proxy.
    public var trustProxy: Bool
    /// Most buckets kept per table.
    public var tableCapacity: Int

    public init(
        keyRate: RateSpec = RateSpec(count: 600, periodSeconds: 60),
        addressRate: RateSpec = RateSpec(count: 60, periodSeconds: 60),
        trustProxy: Bool = false,
        tableCapacity: Int = 100_000
    ) {
        self.keyRate = keyRate
        self.addressRate = addressRate
        self.trustProxy = trustProxy
        self.tableCapacity = tableCapacity
    }
}
