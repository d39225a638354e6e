import Foundation
import Testing
@testable import PTNServe

@Suite("Plan check: the one decision shared by the routes and the WebSocket port")
struct PlanCheckTests {
    static let now = Date(timeIntervalSince1970: 1_769_938_245)

    static func client(_ plan: KeyPlan) -> APIClient { APIClient(alias: "buyer", tier: 100, plan: plan) }

    @Test("the WebSocket is `ws` in routes: refused outside the scope, admitted inside; the refusal frame carries a code")
    func webSocketScope() throws {
        let scoped = Self.client(KeyPlan(routes: RouteScope(["/statistics*"])))
        let refusal = try #require(PlanCheck.refusal(for: scoped, route: RouteScope.webSocket, standing: nil, now: Self.now))
        #expect(refusal == .outOfScope("ws"))
        #expect(SocketReply.refused(refusal).contains("\"code\":\"ROUTE_NOT_ALLOWED\""))
        let allowed = Self.client(KeyPlan(routes: RouteScope(["ws"])))
        #expect(PlanCheck.refusal(for: allowed, route: RouteScope.webSocket, standing: nil, now: Self.now) == nil)
    }

    @Test("expiry comes first, then scope, then quota; /usage is exempt from scope and quota but not from expiry")
    func order() throws {
        let meter = UsageMeter()
        meter.record(alias: "buyer", route: "/x", status: 200, bytes: 10, at: Self.now)
        let quota = KeyQuota(requests: 1, period: .day)
        let spent = Self.client(KeyPlan(quota: quota, routes: RouteScope(["/x"])))
        let standing = PlanCheck.standing(of: spent, meter: meter, now: Self.now)
        guard case .quotaExceeded(let refusal)? = PlanCheck.refusal(for: spent, route: "/x", standing: standing, now: Self.now) else {
            Issue.record("expected a quota refusal")
            return
        }
        #expect(refusal.message == "Daily request quota of 1 requests used up; it refills at 2026-02-02T00:00:00Z")
        #expect(SocketReply.refused(.quotaExceeded(refusal)).contains("QUOTA_EXCEEDED"))
        #expect(PlanCheck.refusal(for: spent, route: "/y", standing: standing, now: Self.now) == .outOfScope("/y"))
        #expect(PlanCheck.refusal(for: spent, route: "/usage", standing: standing, now: Self.now) == nil)
        let expired = Self.client(KeyPlan(quota: quota, expires: Self.now, routes: RouteScope(["/x"])))
        #expect(PlanCheck.refusal(for: expired, route: "/usage", standing: standing, now: Self.now) == .keyExpired)
        #expect(SocketReply.refused(.keyExpired).contains("API_KEY_EXPIRED"))
        // A 429 does not count against the request quota; the next day starts from nothing.
        meter.record(alias: "buyer", route: "/x", status: 429, bytes: 10, at: Self.now)
        #expect(meter.usage(alias: "buyer", period: .day, at: Self.now) == QuotaUsage(requests: 1, bytes: 20))
        #expect(meter.usage(alias: "buyer", period: .day, at: Self.now.addingTimeInterval(86_400)) == QuotaUsage())
    }
}
