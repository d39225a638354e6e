import Synchronization
import Testing
@testable import PTNServe

@Suite("Token buckets: rates, headers' numbers, isolation, bounded memory")
struct RateLimiterTests {
    /// A clock the test moves by hand.
    final class ManualClock: Sendable {
        private let nanos = Mutex<UInt64>(1_000_000_000)
        func advance(seconds: Double) { nanos.withLock { $0 += UInt64(seconds * 1e9) } }
        var read: @Sendable () -> UInt64 { { [self] in nanos.withLock { $0 } } }
    }

    @Test("N/UNIT parses for s, min and h; anything else is refused", arguments: [
        ("600/min", RateSpec(count: 600, periodSeconds: 60)), ("5/s", RateSpec(count: 5, periodSeconds: 1)),
        ("1000/h", RateSpec(count: 1000, periodSeconds: 3600)), (" 7/min ", RateSpec(count: 7, periodSeconds: 60)),
    ])
    func parses(_ text: String, _ expected: RateSpec) {
        #expect(RateSpec(parsing: text) == expected)
        #expect(RateSpec(parsing: expected.description) == expected)
    }

    @Test("malformed rates are refused", arguments: ["", "600", "0/min", "-1/s", "10/day", "ten/min", "10/min/s", "/min", "1e3/s"])
    func refuses(_ text: String) {
        #expect(RateSpec(parsing: text) == nil)
    }

    @Test("a burst of N passes, the next is refused with Retry-After, and tokens come back at the rate")
    func bucket() {
        let clock = ManualClock()
        let limiter = RateLimiter(clock: clock.read)
        let rate = RateSpec(count: 3, periodSeconds: 60)
        let decisions = (0..<4).map { _ in limiter.take("a", rate: rate) }
        #expect(decisions.map(\.allowed) == [true, true, true, false])
        #expect(decisions.map(\.remaining) == [2, 1, 0, 0])
        #expect(decisions[0].limit == 3)
        #expect(decisions[3].retryAfterSeconds == 20)
        #expect(decisions[3].resetSeconds == 60)
        clock.advance(seconds: 20)
        #expect(limiter.take("a", rate: rate).allowed)
        #expect(!limiter.take("a", rate: rate).allowed)
    }

    @Test("one client's flood never touches another's bucket")
    func isolation() {
        let limiter = RateLimiter(clock: ManualClock().read)
        let rate = RateSpec(count: 5, periodSeconds: 60)
        for _ in 0..<1000 { _ = limiter.take("abuser", rate: rate) }
        #expect((0..<5).allSatisfy { _ in limiter.take("polite", rate: rate).allowed })
    }

    @Test("the table stays within its capacity; full (idle) buckets are swept, newcomers beyond share one overflow bucket")
    func bounded() {
        let clock = ManualClock()
        let limiter = RateLimiter(capacity: 64, shardCount: 4, clock: clock.read)
        let rate = RateSpec(count: 2, periodSeconds: 1)
        for index in 0..<10_000 { _ = limiter.take("ip-\(index)", rate: rate) }
        #expect(limiter.bucketCount <= 64)
        clock.advance(seconds: 5)
        for index in 0..<64 { _ = limiter.take("later-\(index)", rate: rate) }
        #expect(limiter.bucketCount <= 64)
        // The sweep made room: a later newcomer got a bucket of its own.
        #expect(limiter.take("later-0", rate: rate).allowed)
    }

    @Test("a lowered rate clamps the remaining burst at once")
    func loweredRate() {
        let limiter = RateLimiter(clock: ManualClock().read)
        _ = limiter.take("k", rate: RateSpec(count: 100, periodSeconds: 60))
        let decision = limiter.take("k", rate: RateSpec(count: 2, periodSeconds: 60))
        #expect(decision.allowed && decision.remaining == 1 && decision.limit == 2)
    }
}
