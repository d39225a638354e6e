import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import PTNServe

@Suite("Usage report")
struct UsageReportTests {
    typealias Key = TestDataRoot.Key

    @Test("per alias counts, per route count/mean/p50/p99, failures by alias/route/status; the window restarts")
    func report() {
        let recorder = UsageRecorder()
        for millis in 1...100 {
            recorder.record(alias: "alice", route: "/miner-positions", status: 200, duration: .milliseconds(millis))
        }
        recorder.record(alias: "bob", route: "/validator-checkpoint", status: 403, duration: .milliseconds(2))
        recorder.record(alias: "bob", route: "/validator-checkpoint", status: 403, duration: .milliseconds(4))
        recorder.record(alias: "unknown", route: "/miner-positions", status: 401, duration: .milliseconds(1))
        let report = recorder.drain()
        #expect(report.totalRequests == 103)
        #expect(report.requestsByAlias.map(\.alias) == ["alice", "bob", "unknown"])
        #expect(report.requestsByAlias.map(\.count) == [100, 2, 1])
        let positions = try! #require(report.routes.first)
        #expect(positions.route == "/miner-positions")
        #expect(positions.count == 101)
        #expect(abs(positions.meanMilliseconds - 5051.0 / 101) < 0.01)
        #expect(abs(positions.p50Milliseconds - 50) < 0.01)
        #expect(abs(positions.p99Milliseconds - 99) < 0.01)
        let checkpoint = try! #require(report.routes.last)
        #expect(checkpoint.count == 2 && abs(checkpoint.meanMilliseconds - 3) < 0.01)
        #expect(report.failures == [
            .init(alias: "bob", route: "/validator-checkpoint", status: 403, count: 2),
            .init(alias: "unknown", route: "/miner-positions", status: 401, count: 1),
        ])
        #expect(report.lines.contains("usage failures alias=bob route=/validator-checkpoint status=403 (Forbidden/Insufficient Tier) count=2"))
        #expect(report.lines.contains { $0.hasPrefix("usage route=/miner-positions count=101 mean_ms=50.010 p50_ms=50.000 p99_ms=99.000") })
        #expect(recorder.drain().totalRequests == 0)
    }

    @Test("requests through the server land in the report under their key's alias, never the key")
    func throughServer() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let observability = Observability()
        try await makeApplication(root, observability: observability).test(.router) { client in
            _ = try await client.execute(uri: "/eliminations", method: .get, headers: bearer(Key.tier100))
            _ = try await client.execute(uri: "/eliminations", method: .get, headers: [.init("X-API-Key")!: Key.tier0])
            _ = try await client.execute(uri: "/miner-positions?tier=100", method: .get, headers: bearer(Key.tier30))
            _ = try await client.execute(uri: "/eliminations", method: .get)
        }
        let report = observability.usage.drain()
        #expect(report.requestsByAlias.map(\.alias) == ["alice", "trial", "carol", "unknown"].sorted())
        #expect(report.routes.first { $0.route == "/eliminations" }?.count == 3)
        #expect(Set(report.failures.map { "\($0.alias) \($0.route) \($0.status)" }) == [
            "carol /miner-positions 403", "unknown /eliminations 401",
        ])
        #expect(!report.lines.joined().contains(Key.tier100))
    }

    @Test("the service logs a report every interval, and each window's requests once", .timeLimit(.minutes(3)))
    func service() async throws {
        let log = LogRecorder()
        let recorder = UsageRecorder()
        recorder.record(alias: "alice", route: "/miner-hotkeys", status: 200, duration: .milliseconds(3))
        let service = PollingService(every: .milliseconds(50), UsageReporter(recorder: recorder, logger: log.logger()))
        let task = Task { try await service.run() }
        // Waits for the report itself, however long a loaded machine takes to run the service.
        let first = await log.line { $0.message == "usage alias=alice requests=1" }
        recorder.record(alias: "bob", route: "/eliminations", status: 401, duration: .milliseconds(1))
        let second = await log.line { $0.message == "usage alias=bob requests=1" }
        task.cancel()
        #expect(first != nil && second != nil)
        let reports = log.lines.filter { $0.message.hasPrefix("usage report: 1 requests") }
        #expect(reports.count == 2)
        #expect(log.lines.filter { $0.message == "usage alias=alice requests=1" }.count == 1)
        #expect(log.lines.allSatisfy { $0.level == .info && $0.metadata["event"] == "usage" })
    }
}
