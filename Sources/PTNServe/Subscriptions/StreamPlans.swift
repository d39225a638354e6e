import Foundation

/// What the stream transports (`/events`, the WebSocket port) need to hold their keys to their plans while open: the
/// keys in force, to look a key up again, the meter frames and open seconds are counted in, and the one clock that
/// checks every open stream (run as a service: `PollingService(every: StreamGuard.checkInterval, plans.watch)`).
struct StreamPlans: Sendable {
    let keys: AtomicSnapshot<APIKeySet>
    let meter: UsageMeter
    let watch: StreamWatch
    /// On replicas sharing a database: this replica's share of the quotas (an opening takes a request of it, frames
    /// their bytes).
    let leases: QuotaLeases?

    init(keys: AtomicSnapshot<APIKeySet>, meter: UsageMeter, leases: QuotaLeases? = nil, watch: StreamWatch = StreamWatch()) {
        self.keys = keys
        self.meter = meter
        self.leases = leases
        self.watch = watch
    }

    /// A guard for a stream `client` opened on `route` with the key whose SHA-256 is `digest`.
    func guarding(_ client: APIClient, digest: Data, route: String, openingCounted: Bool) -> StreamGuard {
        StreamGuard(
            client: client, digest: digest, route: route, openingCounted: openingCounted, keys: keys, meter: meter, streams: watch, leases: leases
        )
    }
}
