import Foundation
import Synchronization
import Testing
@testable import PTNServe

/// The guard of an open stream, alone: frames counted in the meter, and the key's plan ending the stream.
@Suite("Stream guard: frames and seconds counted; expiry, revocation, scope and quota end a stream")
struct StreamGuardTests {
    /// A clock a test moves by hand.
    final class TestClock: Sendable {
        private let now: Mutex<Date>
        init(_ start: Date) { now = Mutex(start) }
        var date: Date { now.withLock { $0 } }
        func advance(_ seconds: TimeInterval) { now.withLock { $0 += seconds } }
    }

    static let start = Date(timeIntervalSince1970: 1_767_610_770)  // 2026-01-05T10:59:30Z
    static let key = "k-stream"

    static func keys(_ plan: KeyPlan) -> AtomicSnapshot<APIKeySet> {
        AtomicSnapshot(APIKeySet([.init(alias: "buyer", key: key, tier: 100, plan: plan)]))
    }

    static func guarding(
        _ keys: AtomicSnapshot<APIKeySet>, meter: UsageMeter, clock: TestClock, route: String = "/events", streams: StreamWatch = StreamWatch()
    ) -> StreamGuard {
        let client = keys.value.client(for: key)!
        return StreamGuard(
            client: client, digest: APIKeySet.digest(key), route: route, openingCounted: false, keys: keys, meter: meter,
            streams: streams, clock: { clock.date }
        )
    }

    @Test("frames count bytes; the one that uses up the byte quota ends the stream with the quota's message, once")
    func byteQuota() async {
        let keys = Self.keys(KeyPlan(quota: KeyQuota(bytes: 1_000, period: .day)))
        let meter = UsageMeter()
        let clock = TestClock(Self.start)
        let plan = Self.guarding(keys, meter: meter, clock: clock)
        #expect(await plan.sent(bytes: 600) == nil)
        let refusal = await plan.sent(bytes: 600)
        #expect(refusal?.planCode == "QUOTA_EXCEEDED")
        #expect(refusal?.message == "Daily byte quota of 1 kB used up; it refills at 2026-01-06T00:00:00Z")
        #expect(plan.refusal == refusal)
        // Told once: a watch that finds it too does not end the stream a second time.
        #expect(plan.check() == nil)
        #expect(meter.unwritten(alias: "buyer").rows.map(\.bytes) == [1_200])
        #expect(meter.unwritten(alias: "buyer").rows.map(\.requests) == [0])
    }

    @Test("the request quota ends a stream when later requests use it up, not when its own opening was the last")
    func requestQuota() async {
        let keys = Self.keys(KeyPlan(quota: KeyQuota(requests: 2, period: .month)))
        let meter = UsageMeter()
        let clock = TestClock(Self.start)
        meter.record(alias: "buyer", route: "/statistics", status: 200, bytes: 10, at: Self.start)
        let plan = Self.guarding(keys, meter: meter, clock: clock)
        // The opening: the second and last request the quota allows.
        meter.record(alias: "buyer", route: "/events", status: 200, bytes: 0, at: Self.start)
        #expect(plan.check() == nil)
        #expect(await plan.sent(bytes: 100) == nil)

        let other = Self.keys(KeyPlan(quota: KeyQuota(requests: 3, period: .month)))
        let later = Self.guarding(other, meter: meter, clock: clock)
        meter.record(alias: "buyer", route: "/events", status: 200, bytes: 0, at: Self.start)
        #expect(later.check() == nil)
        meter.record(alias: "buyer", route: "/statistics", status: 200, bytes: 10, at: Self.start)
        #expect(later.check()?.message.hasPrefix("Monthly request quota of 3 requests used up") == true)
    }

    @Test("expiry, revocation and a narrowed scope each end the stream at the next check, naming why")
    func planChanges() async {
        let meter = UsageMeter()
        let clock = TestClock(Self.start)
        let expiring = Self.keys(KeyPlan(expires: Self.start.addingTimeInterval(5)))
        let plan = Self.guarding(expiring, meter: meter, clock: clock)
        #expect(plan.check() == nil)
        clock.advance(5)
        #expect(plan.check() == .keyExpired)

        let keys = Self.keys(.unlimited)
        let revoked = Self.guarding(keys, meter: meter, clock: clock)
        let scoped = Self.guarding(keys, meter: meter, clock: clock, route: "ws")
        keys.store(APIKeySet([.init(alias: "buyer", key: Self.key, tier: 100, plan: KeyPlan(routes: RouteScope(["/events"])))]))
        #expect(revoked.check() == nil)
        #expect(scoped.check() == .outOfScope("ws"))
        keys.store(APIKeySet([.init(alias: "buyer", key: "k-rotated", tier: 100)]))
        #expect(revoked.check() == .keyRevoked)
        #expect(APIError.keyRevoked.planCode == "API_KEY_REVOKED" && APIError.keyRevoked.status == .unauthorized)
    }

    @Test("one clock for every open stream: a round ends the streams whose key expired, naming why; the others go on until cancelled")
    func oneWatchForAll() async {
        let meter = UsageMeter()
        let clock = TestClock(Self.start)
        let streams = StreamWatch()
        let expiring = Self.guarding(Self.keys(KeyPlan(expires: Self.start.addingTimeInterval(1.5))), meter: meter, clock: clock, streams: streams)
        let open = Self.guarding(Self.keys(.unlimited), meter: meter, clock: clock, streams: streams)
        let ended = Task { await expiring.watch() }
        let going = Task { await open.watch() }
        #expect(await eventually { streams.count == 2 })
        await streams.run()
        #expect(streams.count == 2)
        clock.advance(2)
        await streams.run()
        #expect(await ended.value == .keyExpired)
        #expect(streams.count == 1)
        // A stream that ends on its own (the client left) is no longer watched.
        going.cancel()
        #expect(await going.value == nil)
        #expect(await eventually { streams.count == 0 })
    }

    @Test("open seconds are recorded at each check and at the end, each in the hour it fell in, adding up exactly")
    func streamSeconds() {
        let keys = Self.keys(.unlimited)
        let meter = UsageMeter()
        let clock = TestClock(Self.start)
        let plan = Self.guarding(keys, meter: meter, clock: clock)
        for _ in 0..<3 {
            clock.advance(25.4)
            _ = plan.check()
        }
        clock.advance(0.5)
        plan.finish()
        let rows = meter.unwritten(alias: "buyer").rows.sorted { $0.hourStart < $1.hourStart }
        #expect(rows.map(\.streamSeconds) == [30, 46])
        #expect(rows.map(\.hourStart) == [UsageMeter.hourStart(Self.start), UsageMeter.hourStart(Self.start) + 3600])
    }
}
