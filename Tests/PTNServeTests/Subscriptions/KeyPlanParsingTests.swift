import Foundation
import Testing
@testable import PTNServe

@Suite("Key file plans: quota, expires, routes; old forms unchanged; malformed plans refuse the file")
struct KeyPlanParsingTests {
    static func parse(_ text: String) throws(APIKeyFile.Failure) -> APIKeySet { try APIKeyFile.parse(Data(text.utf8)).keys }

    @Test("a full plan is read: requests and bytes per month, an expiry, route patterns and ws")
    func fullPlan() throws {
        let keys = try Self.parse(#"""
            {"acme": {"key": "k-acme", "tier": 50, "quota": {"requests": 100000, "bytes": "20 GB", "period": "month"},
                      "expires": "2027-01-31T00:00:00Z", "routes": ["/miner-positions*", "/statistics*", "/events", "ws"]}}
            """#)
        let plan = try #require(keys.client(for: "k-acme")?.plan)
        #expect(plan.quota == KeyQuota(requests: 100_000, bytes: 20_000_000_000, period: .month))
        #expect(plan.expires == Date(timeIntervalSince1970: 1_801_353_600))
        #expect(plan.routes?.allows("/miner-positions") == true)
        #expect(plan.routes?.allows("/miner-positions/5Gp") == true)
        #expect(plan.routes?.allows("/statistics/5Gp/") == true)
        #expect(plan.routes?.allows("/events") == true)
        #expect(plan.routes?.allows("ws") == true)
        #expect(plan.routes?.allows("/validator-checkpoint") == false)
        #expect(plan.routes?.allows("/eventsx") == false)
    }

    @Test("old forms behave as before: plain strings, seed lists, tier-only objects, hashed keys")
    func oldForms() throws {
        let keys = try Self.parse(#"{"a": "ka", "b": {"key": "kb", "tier": 30}, "c": {"key": "kc"}, "d": {"key": "kd", "rate": "5/s"}}"#)
        #expect(keys.client(for: "ka") == APIClient(alias: "a", tier: 100))
        #expect(keys.client(for: "kb") == APIClient(alias: "b", tier: 30))
        #expect(keys.client(for: "kc") == APIClient(alias: "c", tier: 0))
        #expect(keys.client(for: "kd") == APIClient(alias: "d", tier: 0, rate: RateSpec(count: 5, periodSeconds: 1)))
        #expect([keys.client(for: "ka"), keys.client(for: "kb"), keys.client(for: "kc")].allSatisfy { $0?.plan.isUnlimited == true })
        let seed = try Self.parse(#"["s1", "s2"]"#)
        #expect(seed.client(for: "s2") == APIClient(alias: "key-1", tier: 100))
    }

    @Test("day quotas, byte-only quotas, bytes as a number, dates without a time")
    func variants() throws {
        let keys = try Self.parse(#"""
            {"a": {"key": "ka", "quota": {"bytes": 5000, "period": "day"}, "expires": "2026-03-01"},
             "b": {"key": "kb", "quota": {"requests": 50, "period": "day"}, "routes": []}}
            """#)
        #expect(keys.client(for: "ka")?.plan.quota == KeyQuota(bytes: 5000, period: .day))
        #expect(keys.client(for: "ka")?.plan.expires == Date(timeIntervalSince1970: 1_772_323_200))
        #expect(keys.client(for: "kb")?.plan.routes?.allows("/eliminations") == false)
    }

    @Test(
        "a malformed quota, expiry or route refuses the whole file, naming the alias and the field, never the key",
        arguments: [
            (#""quota": {"requests": 10}"#, "quota.period"),
            (#""quota": {"requests": 10, "period": "week"}"#, "quota.period"),
            (#""quota": {"requests": -1, "period": "day"}"#, "quota.requests"),
            (#""quota": {"requests": 1.5, "period": "day"}"#, "quota.requests"),
            (#""quota": {"bytes": "20 parsecs", "period": "month"}"#, "quota.bytes"),
            (#""quota": {"period": "month"}"#, "\"quota\""),
            (#""quota": {"requests": 10, "period": "day", "burst": 3}"#, "quota.burst"),
            (#""quota": "100000/month""#, "\"quota\""),
            (#""expires": "next tuesday""#, "expires"),
            (#""expires": 1801267200"#, "expires"),
            (#""routes": "/statistics*""#, "routes"),
            (#""routes": ["statistics"]"#, "routes"),
            (#""routes": ["/st*tistics"]"#, "routes"),
            (#""routes": ["/ok", 3]"#, "routes"),
        ]
    )
    func malformed(field: String, named: String) throws {
        let text = #"{"good": {"key": "k-good"}, "acme": {"key": "k-secret-acme", "tier": 50, \#(field)}}"#
        let failure = try #require(throws: APIKeyFile.Failure.self) { try Self.parse(text) }
        #expect(failure.description.contains("\"acme\""))
        #expect(failure.description.contains(named), "\(failure.description)")
        #expect(!failure.description.contains("k-secret-acme"))
    }

    @Test("the command line's quota form: requests, sizes, both; anything else is refused")
    func commandLineQuota() {
        #expect(KeyQuota(parsing: "100000/month") == KeyQuota(requests: 100_000, period: .month))
        #expect(KeyQuota(parsing: "20GB/day") == KeyQuota(bytes: 20_000_000_000, period: .day))
        #expect(KeyQuota(parsing: "50,2 GiB/month") == KeyQuota(requests: 50, bytes: 2_147_483_648, period: .month))
        #expect(KeyQuota(parsing: "50/week") == nil)
        #expect(KeyQuota(parsing: "0/day") == nil)
        #expect(KeyQuota(parsing: "/day") == nil)
        #expect(KeyQuota(parsing: "100000,20GB/month")?.description == "100000,20 GB/month")
    }

    @Test("calendar periods in UTC: a day starts at midnight, a month on the 1st; both refill at the next start")
    func periods() {
        let date = Date(timeIntervalSince1970: 1_769_938_245)  // 2026-02-01T09:30:45Z
        #expect(QuotaPeriod.day.start(containing: date) == Date(timeIntervalSince1970: 1_769_904_000))
        #expect(QuotaPeriod.day.end(containing: date) == Date(timeIntervalSince1970: 1_769_990_400))
        #expect(QuotaPeriod.month.start(containing: date) == Date(timeIntervalSince1970: 1_769_904_000))
        #expect(QuotaPeriod.month.end(containing: date) == Date(timeIntervalSince1970: 1_772_323_200))
    }

    @Test("the periods' arithmetic agrees with Foundation's Gregorian calendar in UTC, leap years and month ends included")
    func periodsAgreeWithCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var generator = SystemRandomNumberGenerator()
        // Instants from 1900 to 2200, and the last and first second of every month from 1999 to 2101.
        var instants = (0..<2_000).map { _ in Int64.random(in: -2_208_988_800...7_258_118_400, using: &generator) }
        for year in 1999...2101 {
            for month in 1...12 {
                let first = Int64(calendar.date(from: DateComponents(year: year, month: month, day: 1))!.timeIntervalSince1970)
                instants += [first - 1, first]
            }
        }
        for seconds in instants {
            let date = Date(timeIntervalSince1970: TimeInterval(seconds))
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            let dayStart = calendar.date(from: DateComponents(year: parts.year, month: parts.month, day: parts.day))!
            let monthStart = calendar.date(from: DateComponents(year: parts.year, month: parts.month, day: 1))!
            #expect(QuotaPeriod.day.start(containing: date) == dayStart, "\(date)")
            #expect(QuotaPeriod.day.end(containing: date) == calendar.date(byAdding: .day, value: 1, to: dayStart)!, "\(date)")
            #expect(QuotaPeriod.month.start(containing: date) == monthStart, "\(date)")
            #expect(QuotaPeriod.month.end(containing: date) == calendar.date(byAdding: .month, value: 1, to: monthStart)!, "\(date)")
        }
    }
}
