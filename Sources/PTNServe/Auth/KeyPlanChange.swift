import Foundation

/// A change to a key's plan by `keys set`: each part nil to keep it, `.some(nil)` to remove it, or a new value.
package struct KeyPlanChange: Sendable, Equatable {
    package var quota: KeyQuota??
    package var expires: Date??
    package var routes: RouteScope??

    package init(quota: KeyQuota?? = nil, expires: Date?? = nil, routes: RouteScope?? = nil) {
        self.quota = quota
        self.expires = expires
        self.routes = routes
    }

    /// Whether nothing changes.
    package var isEmpty: Bool { quota == nil && expires == nil && routes == nil }

    /// `entry` (a key file object) with this change applied.
    func apply(to entry: [String: Any]) -> [String: Any] {
        var entry = entry
        func set(_ field: String, _ change: Any??) {
            switch change {
            case .some(.some(let value)): entry[field] = value
            case .some(.none): entry.removeValue(forKey: field)
            case .none: break
            }
        }
        set("quota", quota.map { $0.map { KeyPlan(quota: $0).keyFileFields["quota"] as Any } })
        set("expires", expires.map { $0.map { KeyPlan.timeText($0) as Any } })
        set("routes", routes.map { $0.map { $0.patterns as Any } })
        return entry
    }
}
