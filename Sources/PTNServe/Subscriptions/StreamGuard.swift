import Foundation
import Synchronization

/// One open stream of a key (an SSE follow of `/events`, a WebSocket session): counts its frames' bytes and its open
/// seconds in the meter, and says when the key may no longer use it: expired, revoked, its scope no longer holding the
/// route, or a quota used up. Frames are counted in the meter's memory (written with its next batch), never one by one
/// to the store.
final class StreamGuard: Sendable {
    /// How often an open stream looks its key up again (and records its open seconds): a revocation, a scope change or
    /// an expiry reaches it within this (after the key file's edit is in force). The checks of every stream run on one
    /// clock, `StreamWatch`.
    static let checkInterval: Duration = .seconds(1)

    private struct State {
        var client: APIClient
        /// Up to when the open seconds are recorded.
        var recordedUntil: Date
        var refusal: APIError?
    }

    private let digest: Data
    /// The route as scopes name it (`/events`, `ws`), which is also the usage rows' route.
    private let route: String
    private let keys: AtomicSnapshot<APIKeySet>
    private let meter: UsageMeter
    private let clock: @Sendable () -> Date
    private let streams: StreamWatch
    /// On replicas sharing a database: this replica's share of the quotas, which frames take their bytes from.
    private let leases: QuotaLeases?
    /// The key's requests once the stream's own opening is counted: the request quota ends the stream only when later
    /// requests use it up, not when the opening itself was the last request it allowed.
    private let requestsAtOpen: Int64
    private let state: Mutex<State>

    /// A guard for the stream `client` (holding the key whose SHA-256 is `digest`) opened on `route`; `openingCounted`
    /// says whether the meter already holds the opening request. `streams` runs its checks while it is watched.
    init(
        client: APIClient, digest: Data, route: String, openingCounted: Bool, keys: AtomicSnapshot<APIKeySet>, meter: UsageMeter,
        streams: StreamWatch, leases: QuotaLeases? = nil, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        let now = clock()
        self.digest = digest
        self.route = route
        self.keys = keys
        self.meter = meter
        self.clock = clock
        self.streams = streams
        self.leases = leases
        let requests = client.plan.quota.map { meter.usage(alias: client.alias, period: $0.period, at: now).requests } ?? 0
        requestsAtOpen = requests + (openingCounted ? 0 : 1)
        state = Mutex(State(client: client, recordedUntil: now))
    }

    /// What ended the stream, once something has.
    var refusal: APIError? { state.withLock { $0.refusal } }

    /// Counts a frame of `bytes` just sent; returns the refusal when it used up the key's byte quota (on replicas: when
    /// this replica's share is spent and no more can be leased, so the replicas' streams together stop at the quota).
    func sent(bytes: Int) async -> APIError? {
        let now = clock()
        let client = state.withLock { $0.client }
        meter.recordFrame(alias: client.alias, route: route, bytes: bytes, at: now)
        guard let quota = client.plan.quota else { return nil }
        if let leases, quota.bytes != nil {
            leases.settle(alias: client.alias, quota: quota, at: now, bytes: Int64(bytes), counted: true)
            if let share = await leases.take(alias: client.alias, quota: quota, now: now, request: false), !share.admitted {
                return settle(share.standing.refusal.map { .quotaExceeded($0) })
            }
        }
        return settle(quotaRefusal(client, now: now))
    }

    /// Looks the key up again and records the open seconds so far; returns the refusal once the key may no longer use
    /// the stream.
    func check() -> APIError? {
        let now = clock()
        let current = keys.value.client(forDigest: digest)
        let client = state.withLock { state in
            if let current { state.client = current }
            return state.client
        }
        record(until: now)
        guard let current else { return settle(.keyRevoked) }
        return settle(PlanCheck.refusal(for: current, route: route, standing: nil, now: now) ?? quotaRefusal(client, now: now))
    }

    /// Waits, checked by `StreamWatch` every `checkInterval`, until the key may no longer use the stream, then returns
    /// why; nil when cancelled first.
    func watch() async -> APIError? {
        let (refusals, refused) = AsyncStream.makeStream(of: APIError.self, bufferingPolicy: .bufferingNewest(1))
        let id = streams.add(self) { refusal in
            refused.yield(refusal)
            refused.finish()
        }
        defer { streams.remove(id) }
        for await refusal in refusals { return refusal }
        return nil
    }

    /// Records the open seconds up to the stream's end.
    func finish() {
        record(until: clock())
    }

    /// The quota refusal of `client` at `now`: its byte quota used up, or its request quota used up by requests made
    /// after the stream opened.
    private func quotaRefusal(_ client: APIClient, now: Date) -> APIError? {
        guard var quota = client.plan.quota else { return nil }
        let used = meter.usage(alias: client.alias, period: quota.period, at: now)
        if used.requests <= requestsAtOpen { quota.requests = nil }
        // The refusal's message (and its refill time) only once a quota is used up: frames stay two comparisons.
        let usedUp = (quota.requests.map { used.requests >= $0 } ?? false) || (quota.bytes.map { used.bytes >= $0 } ?? false)
        guard usedUp else { return nil }
        return QuotaStanding(quota: quota, used: used, now: now).refusal.map { .quotaExceeded($0) }
    }

    /// Keeps the first refusal (what the stream's last message names) and returns it that once: of a frame and the
    /// watch that both find the quota used up, only one ends the stream.
    private func settle(_ refusal: APIError?) -> APIError? {
        guard let refusal else { return nil }
        return state.withLock { state in
            guard state.refusal == nil else { return nil }
            state.refusal = refusal
            return refusal
        }
    }

    private func record(until now: Date) {
        let (alias, from) = state.withLock { state in
            defer { state.recordedUntil = max(state.recordedUntil, now) }
            return (state.client.alias, state.recordedUntil)
        }
        meter.recordStream(alias: alias, route: route, from: from, to: now)
    }
}
