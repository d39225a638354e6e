import Foundation
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
}
