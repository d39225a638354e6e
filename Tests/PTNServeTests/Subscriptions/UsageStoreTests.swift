import Foundation
import Testing
@testable import PTNServe

@Suite("Usage store: rows add up by key, route and hour; quotas continue from it after a restart")
struct UsageStoreTests {
    static func folder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("ptn-serve-usage-\(UUID().uuidString)")
    }

    @Test("added rows sum per key, route and hour; filters by key and time; totals per key", arguments: StorageEngine.allCases)
    func roundTrip(engine: StorageEngine) async throws {
        try await engine.withUsageStores { open in
            let store = try await open()
            try await store.add([
                UsageRow(alias: "a", route: "/x", hourStart: 7200, requests: 3, bytes: 300, clientErrors: 1, rateLimited: 1),
                UsageRow(alias: "b", route: "/x", hourStart: 3600, requests: 1, bytes: 10),
            ])
            try await store.add([
                UsageRow(alias: "a", route: "/x", hourStart: 7200, requests: 2, bytes: 200, streamSeconds: 5),
                UsageRow(alias: "a", route: "/y", hourStart: 10800, requests: 1, bytes: 1),
            ])
            let all = try await store.rows(alias: nil, since: nil)
            #expect(all == [
                UsageRow(alias: "b", route: "/x", hourStart: 3600, requests: 1, bytes: 10),
                UsageRow(alias: "a", route: "/x", hourStart: 7200, requests: 5, bytes: 500, clientErrors: 1, rateLimited: 1, streamSeconds: 5),
                UsageRow(alias: "a", route: "/y", hourStart: 10800, requests: 1, bytes: 1),
            ])
            #expect(try await store.rows(alias: "a", since: 10800).map(\.route) == ["/y"])
            let totals = try await store.totals(since: 7200)
            #expect(totals["a"] == QuotaUsage(requests: 5, bytes: 501))
            #expect(totals["b"] == nil)
        }
    }

    @Test("stores opened on the same data add to the same rows (replicas sharing PostgreSQL)", arguments: StorageEngine.durable)
    func sharedRows(engine: StorageEngine) async throws {
        try await engine.withUsageStores { open in
            // One store per writer, as each replica (and a store's own writes are one at a time: its flusher's).
            let stores = [try await open(), try await open(), try await open(), try await open()]
            let (one, two) = (stores[0], stores[1])
            func add(_ index: Int) async throws {
                try await stores[index].add([
                    UsageRow(alias: "k", route: "/x", hourStart: 3600, requests: 1, bytes: Int64(index)),
                    UsageRow(alias: "j", route: "/y", hourStart: 3600, requests: 2),
                ])
            }
            if engine == .postgres {
                // Replicas flush at the same moments: their upserts wait on each other's row locks, never deadlock.
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in stores.indices { group.addTask { try await add(index) } }
                    try await group.waitForAll()
                }
            } else {
                for index in stores.indices { try await add(index) }
            }
            #expect(try await one.rows(alias: nil, since: nil) == [
                UsageRow(alias: "j", route: "/y", hourStart: 3600, requests: 8),
                UsageRow(alias: "k", route: "/x", hourStart: 3600, requests: 4, bytes: 6),
            ])
            #expect(try await two.totals(since: 0)["k"] == QuotaUsage(requests: 4, bytes: 6))
        }
    }

    @Test("what the meter counted and flushed is counted again after the store is reopened (a restart)")
    func restartContinuity() async throws {
        let directory = Self.folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let now = Date()
        let first = try await Subscriptions.open(stateDirectory: directory, logger: quietLogger, now: now)
        for _ in 0..<7 { first.meter.record(alias: "buyer", route: "/miner-hotkeys", status: 200, bytes: 100, at: now) }
        first.meter.record(alias: "buyer", route: "/miner-hotkeys", status: 429, bytes: 40, at: now)
        #expect(first.meter.usage(alias: "buyer", period: .month, at: now) == QuotaUsage(requests: 7, bytes: 740))
        try await first.flush()
        #expect(first.meter.drain().isEmpty)

        let second = try await Subscriptions.open(stateDirectory: directory, logger: quietLogger, now: now)
        #expect(second.meter.usage(alias: "buyer", period: .month, at: now) == QuotaUsage(requests: 7, bytes: 740))
        #expect(second.meter.usage(alias: "buyer", period: .day, at: now) == QuotaUsage(requests: 7, bytes: 740))
        #expect(second.meter.usage(alias: "other", period: .day, at: now) == QuotaUsage())
        // The next period starts from nothing.
        let nextMonth = QuotaPeriod.month.end(containing: now).addingTimeInterval(1)
        #expect(second.meter.usage(alias: "buyer", period: .month, at: nextMonth) == QuotaUsage())
        let csv = UsageExport.render(try await second.store.rows(alias: "buyer", since: nil), format: .csv)
        #expect(csv == "hour,key,route,requests,bytes,client_errors,rate_limited,stream_seconds\n"
            + "\(UsageExport.hourText(UsageMeter.hourStart(now))),buyer,/miner-hotkeys,8,740,1,1,0\n")
    }

    @Test("the export writes each row's hour, quoted fields where needed, and the same rows as JSON")
    func exportFormats() throws {
        let rows = [
            UsageRow(alias: "acme, inc", route: "/statistics", hourStart: 1_767_607_200, requests: 3, bytes: 300, clientErrors: 1),
            UsageRow(alias: "beta", route: "ws", hourStart: 1_767_610_800, requests: 1, streamSeconds: 3600),
            UsageRow(alias: "beta", route: "/events", hourStart: 1_767_607_200, bytes: 5),
        ]
        #expect(UsageExport.render(rows, format: .csv) == """
            hour,key,route,requests,bytes,client_errors,rate_limited,stream_seconds
            2026-01-05T10:00:00Z,"acme, inc",/statistics,3,300,1,0,0
            2026-01-05T11:00:00Z,beta,ws,1,0,0,0,3600
            2026-01-05T10:00:00Z,beta,/events,0,5,0,0,0

            """)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(UsageExport.render(rows, format: .json).utf8)) as? [[String: Any]])
        #expect(json.map { $0["hour"] as? String } == ["2026-01-05T10:00:00Z", "2026-01-05T11:00:00Z", "2026-01-05T10:00:00Z"])
        #expect(json.first?["key"] as? String == "acme, inc" && json[1]["stream_seconds"] as? Int == 3600)
    }
}
