import Foundation

/// What makes a key a subscription: its quota, its expiry and the routes it may use. Every part is optional; a key
/// without any (every key of an old key file) is served as before.
public struct KeyPlan: Sendable, Equatable {
    public var quota: KeyQuota?
    public var expires: Date?
    public var routes: RouteScope?

    public init(quota: KeyQuota? = nil, expires: Date? = nil, routes: RouteScope? = nil) {
        self.quota = quota
        self.expires = expires
        self.routes = routes
    }

    /// A key without quota, expiry or scope.
    public static let unlimited = KeyPlan()

    /// Whether the plan restricts anything.
    public var isUnlimited: Bool { self == .unlimited }

    /// Whether the key has expired at `now`.
    public func isExpired(at now: Date) -> Bool { expires.map { now >= $0 } ?? false }
}
