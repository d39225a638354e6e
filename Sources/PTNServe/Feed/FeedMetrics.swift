import Metrics
import Synchronization
import struct Prometheus.PrometheusMetricsFactory

/// The feed's metrics: events published per feed, followers per transport, replayed events, slow-consumer cut-offs,
/// the CPU time of diffs, the journal's size and oldest sequence. Label sets are bounded: feed names come from the route table.
final class FeedMetrics: Sendable {
    private let factory: PrometheusMetricsFactory?
    private let followerCounts = Mutex<[String: Int]>([:])

    /// Metrics into `factory` (the server's registry); none without one.
    init(factory: PrometheusMetricsFactory? = nil) {
        self.factory = factory
    }

    func published(_ events: [ChangeEvent]) {
        guard let factory else { return }
        var perFeed = [String: Int]()
        for event in events { perFeed[event.feed, default: 0] += 1 }
        for (feed, count) in perFeed {
            Counter(label: "ptn_serve_feed_events_total", dimensions: [("feed", feed)], factory: factory).increment(by: Int64(count))
        }
    }

    func followers(_ transport: String, delta: Int) {
        let count = followerCounts.withLock { counts in
            counts[transport, default: 0] += delta
            return counts[transport]!
        }
        guard let factory else { return }
        Gauge(label: "ptn_serve_feed_subscribers", dimensions: [("transport", transport)], factory: factory).record(count)
    }

    /// The CPU time one version's diff took (the thread's own time: other work on the machine does not count).
    func diffed(_ feed: String, cpuSeconds: Double) {
        guard let factory else { return }
        Gauge(label: "ptn_serve_feed_last_diff_cpu_seconds", dimensions: [("feed", feed)], factory: factory).record(cpuSeconds)
        Counter(label: "ptn_serve_feed_diff_cpu_microseconds_total", dimensions: [("feed", feed)], factory: factory)
            .increment(by: Int64(cpuSeconds * 1_000_000))
    }

    func replayed(_ count: Int) {
        guard let factory, count > 0 else { return }
        Counter(label: "ptn_serve_feed_replayed_events_total", factory: factory).increment(by: Int64(count))
    }

    func slowConsumersCut(_ count: Int) {
        guard let factory else { return }
        Counter(label: "ptn_serve_feed_slow_consumer_disconnects_total", factory: factory).increment(by: Int64(count))
    }

    func journal(_ statistics: JournalStatistics) {
        guard let factory else { return }
        Gauge(label: "ptn_serve_feed_journal_bytes", factory: factory).record(statistics.bytes)
        Gauge(label: "ptn_serve_feed_journal_events", factory: factory).record(statistics.eventCount)
        Gauge(label: "ptn_serve_feed_oldest_sequence", factory: factory).record(statistics.oldestSequence ?? 0)
    }

    /// The current number of followers over `transport`.
    func followerCount(_ transport: String) -> Int {
        followerCounts.withLock { $0[transport] ?? 0 }
    }
}
