import Foundation

/// What makes a key a subscription: its quota, its expiry and the routes it may use. Every part is optional; a key
/// without any (every key of an old key file) is served as before.
package struct KeyPlan: Sendable, Equatable {
    package var quota: KeyQuota?
    package var expires: Date?
    package var routes: RouteScope?

    package init(quota: KeyQuota? = nil, expires: Date? = nil, routes: RouteScope? = nil) {
        self.quota = quota
        self.expires = expires
        self.routes = routes
    }

    /// A key without quota, expiry or scope.
    package static let unlimited = KeyPlan()

    /// Whether the plan restricts anything.
    package var isUnlimited: Bool { self == .unlimited }

    /// Whether the key has expired at `now`.
    package func isExpired(at now: Date) -> Bool { expires.map { now >= $0 } ?? false }
}
