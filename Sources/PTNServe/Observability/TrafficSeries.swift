/// The console's traffic history, bucketed by minute: server-wide counts and latency histograms for 24 hours, per-key
/// counts by minute (last hour) and by hour (last day), per-route counts by minute. Sizes are fixed per key and route.
struct TrafficSeries: Sendable {
    /// Minutes of server-wide history.
    static let minutes = 1440
    /// At most this many aliases and routes are tracked; the rest share one row, so a flood of names cannot grow memory.
    static let maxNames = 2_000
    static let otherName = "(other)"

    /// Per-key usage: requests, bytes and 429 answers.
    struct KeyUsage: Sendable {
        var byMinute = CounterRing(slots: 60)
        var byHour = CounterRing(slots: 24)
        var lastSeenSeconds: Double = 0
    }

    /// The minute each slot holds (-1: never used).
    private(set) var stamps = [Int64](repeating: -1, count: minutes)
    /// Requests, 4xx and 5xx answers per slot.
    private(set) var counts = [Int](repeating: 0, count: minutes * 3)
    /// `LatencyHistogram.count` buckets per slot.
    private(set) var latency = [Int](repeating: 0, count: minutes * LatencyHistogram.count)
    private(set) var keys = [String: KeyUsage]()
    /// Requests and error answers (status 400 and above) per route.
    private(set) var routes = [String: CounterRing]()

    mutating func record(alias: String, route: String, status: Int, bytes: Int, milliseconds: Double, seconds: Double) {
        let minute = Int64(seconds / 60)
        let slot = Int(minute % Int64(Self.minutes))
        // A clock stepped back: a minute older than its slot's is a day old, and not kept.
        if stamps[slot] <= minute {
            if stamps[slot] != minute {
                stamps[slot] = minute
                for index in slot * 3 ..< slot * 3 + 3 { counts[index] = 0 }
                let first = slot * LatencyHistogram.count
                for index in first ..< first + LatencyHistogram.count { latency[index] = 0 }
            }
            counts[slot * 3] += 1
            if status >= 500 { counts[slot * 3 + 2] += 1 } else if status >= 400 { counts[slot * 3 + 1] += 1 }
            latency[slot * LatencyHistogram.count + LatencyHistogram.bucket(milliseconds: milliseconds)] += 1
        }

        let limited = status == 429 ? 1 : 0
        let aliasName = keys[alias] != nil || keys.count < Self.maxNames ? alias : Self.otherName
        keys[aliasName, default: KeyUsage()].byMinute.add(period: minute, 1, bytes, limited)
        keys[aliasName]?.byHour.add(period: minute / 60, 1, bytes, limited)
        let lastSeen = keys[aliasName]?.lastSeenSeconds ?? 0
        keys[aliasName]?.lastSeenSeconds = max(lastSeen, seconds)
        let routeName = routes[route] != nil || routes.count < Self.maxNames ? route : Self.otherName
        routes[routeName, default: CounterRing(slots: 60)].add(period: minute, 1, status >= 400 ? 1 : 0, 0)
    }

    /// Every tracked key's usage, by alias.
    var keyUsage: [String: KeyUsage] { keys }

    /// The server-wide counts of `minute`, or nil when no request was answered in it (or it has been overwritten).
    func minute(_ minute: Int64) -> (requests: Int, clientErrors: Int, serverErrors: Int, latency: ArraySlice<Int>)? {
        let slot = Int(minute % Int64(Self.minutes))
        guard minute >= 0, stamps[slot] == minute else { return nil }
        let first = slot * LatencyHistogram.count
        return (counts[slot * 3], counts[slot * 3 + 1], counts[slot * 3 + 2], latency[first ..< first + LatencyHistogram.count])
    }
}
