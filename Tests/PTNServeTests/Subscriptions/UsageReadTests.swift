import Foundation
import Testing
@testable import PTNServe

@Suite("Usage read while a batch is written: every request counted once")
struct UsageReadTests {
    /// A store whose writes wait until the test lets them commit.
    final class HeldStore: UsageStore {
        let stored = InMemoryUsageStore()
        let (held, release) = AsyncStream<Void>.makeStream()
        let (started, start) = AsyncStream<Void>.makeStream()

        func add(_ rows: [UsageRow]) async throws {
            start.yield()
            var iterator = held.makeAsyncIterator()
            _ = await iterator.next()
            try await stored.add(rows)
        }

        func rows(alias: String?, since: Int64?) async throws -> [UsageRow] { try await stored.rows(alias: alias, since: since) }
        func totals(since: Int64) async throws -> [String: QuotaUsage] { try await stored.totals(since: since) }
    }

    @Test("rows taken by a write not yet committed are still counted; once committed, not twice")
    func inFlight() async throws {
        let store = HeldStore()
        let subscriptions = Subscriptions(store: store)
        for _ in 0..<7 { subscriptions.meter.record(alias: "buyer", route: "/x", status: 200, bytes: 10) }
        let write = Task { try await subscriptions.flush() }
        var started = store.started.makeAsyncIterator()
        _ = await started.next()
        // The batch left the meter and is not in the store yet.
        #expect(try await subscriptions.rows(alias: "buyer", since: 0).reduce(0) { $0 + $1.requests } == 7)
        subscriptions.meter.record(alias: "buyer", route: "/x", status: 200, bytes: 10)
        store.release.yield()
        try await write.value
        #expect(try await subscriptions.rows(alias: "buyer", since: 0).reduce(0) { $0 + $1.requests } == 8)
        #expect(try await store.stored.rows(alias: "buyer", since: 0).reduce(0) { $0 + $1.requests } == 7)
    }

    @Test("a failed write puts its rows back: counted once, written by the next")
    func failedWrite() async throws {
        let meter = UsageMeter()
        meter.record(alias: "buyer", route: "/x", status: 200, bytes: 10)
        let rows = meter.drain()
        #expect(meter.unwritten(alias: "buyer").rows.map(\.requests) == [1])
        meter.restore(rows)
        #expect(meter.unwritten(alias: "buyer").rows.map(\.requests) == [1])
        #expect(meter.writes == 0)
    }
}
