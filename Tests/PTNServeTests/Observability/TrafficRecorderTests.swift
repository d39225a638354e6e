import Testing
@testable import PTNServe

/// The console's traffic figures: per-minute series, per-key hour and day counts, bounded memory.
@Suite("Traffic recorder")
struct TrafficRecorderTests {
    @Test("requests are counted per minute, per key over the hour and the day, and age out")
    func windows() {
        let recorder = TrafficRecorder()
        let start = 1_800_000_000.0
        recorder.record(alias: "alice", route: "/statistics", status: 200, bytes: 100, duration: .milliseconds(3), seconds: start)
        recorder.record(alias: "alice", route: "/statistics", status: 429, bytes: 10, duration: .microseconds(200), seconds: start + 1)
        recorder.record(alias: "bob", route: "/eliminations", status: 500, bytes: 5, duration: .milliseconds(700), seconds: start + 61)
        recorder.record(alias: "alice", route: "/statistics", status: 200, bytes: 1000, duration: .milliseconds(3), seconds: start - 7200)

        let now = recorder.report(seconds: start + 90)
        #expect(now.minutes.count == 60)
        #expect(now.hour.requests == 3)
        #expect(now.hour.clientErrors == 1)
        #expect(now.hour.serverErrors == 1)
        #expect(now.minutes.last?.requests == 1)
        #expect(now.minutes.last?.p50Milliseconds == 1000)
        #expect(now.topRoutes.first == TrafficReport.RouteCount(route: "/statistics", requests: 2, errors: 1))
        let alice = now.keys["alice"]
        #expect(alice?.requestsHour == 2)
        #expect(alice?.bytesHour == 110)
        #expect(alice?.limitedHour == 1)
        #expect(alice?.requestsDay == 3)
        #expect(alice?.bytesDay == 1110)
        #expect(alice?.lastSeenMilliseconds == Int64((start + 1) * 1000))

        let nextDay = recorder.report(seconds: start + 86_400 + 7200)
        #expect(nextDay.hour.requests == 0)
        #expect(nextDay.keys["alice"]?.requestsDay == 0)
        #expect(nextDay.topRoutes.isEmpty)
    }

    @Test("percentiles are bucket bounds")
    func percentiles() {
        #expect(LatencyHistogram.quantile(0.5, counts: [0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]) == 0.5)
        #expect(LatencyHistogram.quantile(0.99, counts: [98, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]) == 10000)
        #expect(LatencyHistogram.quantile(0.5, counts: [Int](repeating: 0, count: 16)) == nil)
        #expect(LatencyHistogram.bucket(milliseconds: 0.1) == 0)
        #expect(LatencyHistogram.bucket(milliseconds: 99_999) == 15)
    }
}
