import Foundation
import Synchronization
import Testing
@testable import PTNServe

@Suite("Quota leases: replicas sharing PostgreSQL never admit more than a key's quota together", .runsProcesses)
struct QuotaLeasesTests {
    /// Three replicas' shares of the quotas, each with its own client of one fresh database.
    static func withReplicas(_ body: ([QuotaLeases]) async throws -> Void) async throws {
        try await withTestPostgres { server in
            let url = try await server.createDatabase()
            let databases = DatabaseList()
            defer { databases.closeAll() }
            var replicas = [QuotaLeases]()
            for _ in 0..<3 { replicas.append(QuotaLeases(ledger: try await PostgresQuotaLedger.open(try await databases.open(url)), logger: quietLogger)) }
            try await body(replicas)
        }
    }

    @Test("100 requests a month, asked of three replicas at once until each refuses: exactly 100 admitted, the 429 names the quota")
    func requests() async throws {
        try await Self.withReplicas { replicas in
            let quota = KeyQuota(requests: 100, period: .month)
            let now = Date()
            let admitted = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for replica in replicas {
                    for _ in 0..<2 {
                        group.addTask {
                            var admitted = 0
                            while let share = await replica.take(alias: "buyer", quota: quota, now: now), share.admitted { admitted += 1 }
                            let last = await replica.take(alias: "buyer", quota: quota, now: now)
                            return (admitted, last?.standing.refusal?.message)
                        }
                    }
                }
                var total = 0
                for try await (count, refusal) in group {
                    total += count
                    #expect(refusal?.hasPrefix("Monthly request quota of 100 requests used up") == true)
                }
                return total
            }
            #expect(admitted == 100)
        }
    }

    @Test("a request given back (a 429 of the rate limit) is admitted again; another key and the next period lease their own")
    func givenBack() async throws {
        try await Self.withReplicas { replicas in
            let quota = KeyQuota(requests: 3, period: .day)
            let now = Date()
            for _ in 0..<3 { #expect(await replicas[0].take(alias: "a", quota: quota, now: now)?.admitted == true) }
            #expect(await replicas[1].take(alias: "a", quota: quota, now: now)?.admitted == false)
            replicas[0].settle(alias: "a", quota: quota, at: now, bytes: 0, counted: false)
            #expect(await replicas[0].take(alias: "a", quota: quota, now: now)?.admitted == true)
            #expect(await replicas[1].take(alias: "b", quota: quota, now: now)?.admitted == true)
            #expect(await replicas[2].take(alias: "a", quota: quota, now: now.addingTimeInterval(86_400))?.admitted == true)
        }
    }

    @Test("a byte quota: admitted while bytes are held; the last answer may pass it, then every replica refuses")
    func bytes() async throws {
        try await Self.withReplicas { replicas in
            let quota = KeyQuota(bytes: 1_000, period: .day)
            let now = Date()
            var sent: Int64 = 0
            var turn = 0
            while let share = await replicas[turn % 3].take(alias: "a", quota: quota, now: now), share.admitted {
                replicas[turn % 3].settle(alias: "a", quota: quota, at: now, bytes: 120, counted: true)
                sent += 120
                turn += 1
            }
            // Each replica's last admitted answer may pass what it held by up to one answer.
            #expect(sent >= 1_000 - 3 * 50 && sent <= 1_000 + 3 * 120, "\(sent)")
            for replica in replicas {
                let share = await replica.take(alias: "a", quota: quota, now: now)
                #expect(share?.admitted == false)
                #expect(share?.standing.refusal?.message.hasPrefix("Daily byte quota of") == true)
            }
        }
    }

    @Test("open streams on two replicas take their frames' bytes from the leases: together they stop at the byte quota, and a third replica refuses a new one")
    func streams() async throws {
        try await Self.withReplicas { replicas in
            let quota = KeyQuota(bytes: 1_000, period: .day)
            let keys = AtomicSnapshot(APIKeySet([.init(alias: "a", key: "k-a", tier: 100, plan: KeyPlan(quota: quota))]))
            let client = try #require(keys.value.client(for: "k-a"))
            let now = Date()
            // Each opening is a request on the route `ws`, admitted from the replica's leased share.
            var streams = [StreamGuard]()
            for replica in replicas.prefix(2) {
                #expect(await PlanCheck.admission(of: client, route: "ws", meter: UsageMeter(), leases: replica, now: now).refusal == nil)
                streams.append(StreamGuard(
                    client: client, digest: APIKeySet.digest("k-a"), route: "ws", openingCounted: true, keys: keys, meter: UsageMeter(),
                    streams: StreamWatch(), leases: replica, clock: { now }
                ))
            }
            var sent: Int64 = 0
            var refusals: [APIError?] = [nil, nil]
            for turn in 0..<100 where refusals[turn % 2] == nil {
                sent += 120
                refusals[turn % 2] = await streams[turn % 2].sent(bytes: 120)
            }
            // Each stream's last frame may pass what its replica held by up to one frame.
            #expect(sent >= 1_000 && sent <= 1_000 + 2 * 120, "\(sent)")
            for refusal in refusals { #expect(refusal?.message.hasPrefix("Daily byte quota of 1 kB used up") == true, "\(String(describing: refusal))") }
            let third = await PlanCheck.admission(of: client, route: "ws", meter: UsageMeter(), leases: replicas[2], now: now)
            #expect(third.refusal?.planCode == "QUOTA_EXCEEDED")
        }
    }

    /// A ledger that fails until it is made reachable, counting how often it was asked.
    final class FlakyLedger: QuotaLedger {
        let asked = Atomic(0)
        let reachable = Atomic(false)

        func lease(alias: String, period: QuotaPeriod, start: Int64, want: QuotaUsage, limit: QuotaUsage) async throws -> QuotaLease {
            asked.add(1, ordering: .relaxed)
            guard reachable.load(ordering: .relaxed) else { throw ProcessFailure(description: "unreachable") }
            return QuotaLease(granted: want, leased: want)
        }
    }

    @Test("an unreachable ledger is asked once, not by every request: they fall back to the replica's own count until it is asked again")
    func unreachableLedger() async {
        let ledger = FlakyLedger()
        let leases = QuotaLeases(ledger: ledger, logger: quietLogger, retryAfter: .seconds(2))
        let quota = KeyQuota(requests: 100, period: .day)
        for _ in 0..<5 { #expect(await leases.take(alias: "a", quota: quota, now: Date()) == nil) }
        #expect(ledger.asked.load(ordering: .relaxed) == 1)
        ledger.reachable.store(true, ordering: .relaxed)
        #expect(await eventually { await leases.take(alias: "a", quota: quota, now: Date())?.admitted == true })
        #expect(ledger.asked.load(ordering: .relaxed) == 2)
    }
}
