import Foundation

/// What the stream transports (`/events`, the WebSocket port) need to hold their keys to their plans while open: the
/// keys in force, to look a key up again, and the meter frames and open seconds are counted in.
public struct StreamPlans: Sendable {
    let keys: AtomicSnapshot<APIKeySet>
    let meter: UsageMeter

    public init(keys: AtomicSnapshot<APIKeySet>, meter: UsageMeter) {
        self.keys = keys
        self.meter = meter
    }

    /// A guard for a stream `client` opened on `route` with the key whose SHA-256 is `digest`.
    func guarding(_ client: APIClient, digest: Data, route: String, openingCounted: Bool) -> StreamGuard {
        StreamGuard(client: client, digest: digest, route: route, openingCounted: openingCounted, keys: keys, meter: meter)
    }
}
