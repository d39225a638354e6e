import NIOCore
import Synchronization

/// Token buckets by client name, in shards each behind its own `Mutex`, so requests from different clients rarely
/// contend and one client's flood only ever drains its own bucket.
///
/// Memory is bounded: a shard holds at most `capacity / shardCount` buckets. A full bucket is indistinguishable from a
/// new one, so full buckets are swept out when a shard fills; if a shard is still full, further new clients share one
/// overflow bucket (they are limited together rather than growing the table).
final class RateLimiter: Sendable {
    private let shards: [ShardBox]
    private let perShardCapacity: Int
    private let clock: @Sendable () -> UInt64

    struct Shard {
        var buckets: [String: TokenBucket] = [:]
        var overflow: TokenBucket?
    }

    /// A `Mutex` is not copyable, so each lives in a class instance the array can hold.
    final class ShardBox: Sendable {
        let mutex = Mutex(Shard())
    }

    /// - Parameters:
    ///   - capacity: most buckets held at once (all shards together).
    ///   - clock: monotonic nanoseconds; tests may drive time by hand.
    init(capacity: Int = 100_000, shardCount: Int = 16, clock: @escaping @Sendable () -> UInt64 = RateLimiter.monotonicNanos) {
        self.shards = (0..<max(1, shardCount)).map { _ in ShardBox() }
        self.perShardCapacity = max(1, capacity / max(1, shardCount))
        self.clock = clock
    }

    /// Charges one request to `name`'s bucket at `rate`.
    func take(_ name: String, rate: RateSpec) -> RateLimitDecision {
        let now = clock()
        let index = Int(UInt(bitPattern: name.hashValue) % UInt(shards.count))
        let capacity = perShardCapacity
        return shards[index].mutex.withLock { shard in
            if shard.buckets[name] != nil {
                return shard.buckets[name]!.take(rate: rate, now: now)
            }
            if shard.buckets.count >= capacity {
                shard.buckets = shard.buckets.filter { !$0.value.isFull(rate: rate, now: now) }
            }
            if shard.buckets.count >= capacity {
                var overflow = shard.overflow ?? TokenBucket(rate: rate, now: now)
                let decision = overflow.take(rate: rate, now: now)
                shard.overflow = overflow
                return decision
            }
            var bucket = TokenBucket(rate: rate, now: now)
            let decision = bucket.take(rate: rate, now: now)
            shard.buckets[name] = bucket
            return decision
        }
    }

    /// Buckets held now (for tests and diagnostics).
    var bucketCount: Int { shards.reduce(0) { total, shard in total + shard.mutex.withLock { $0.buckets.count } } }

    /// Nanoseconds of a monotonic clock.
    static let monotonicNanos: @Sendable () -> UInt64 = { NIODeadline.now().uptimeNanoseconds }
}
