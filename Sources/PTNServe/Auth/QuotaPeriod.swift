import Foundation

/// The period a key's quota counts over: a calendar day or month in UTC, refilled at its start.
public enum QuotaPeriod: String, Sendable, Equatable, CaseIterable {
    case day, month

    /// The window the `RateLimit-Policy` field announces (`w`): a day, or 30 days for a month.
    public var windowSeconds: Int {
        switch self {
        case .day: 86_400
        case .month: 2_592_000
        }
    }

    /// The adjective of error messages: "Daily", "Monthly".
    var adjective: String { self == .day ? "Daily" : "Monthly" }

    /// The start of the period holding `date`.
    public func start(containing date: Date) -> Date {
        let parts = Self.calendar.dateComponents([.year, .month, .day], from: date)
        var start = DateComponents(timeZone: Self.utc, year: parts.year, month: parts.month, day: self == .day ? parts.day : 1)
        start.hour = 0
        return Self.calendar.date(from: start) ?? date
    }

    /// The start of the next period after the one holding `date`: when the quota refills.
    public func end(containing date: Date) -> Date {
        let start = start(containing: date)
        let step = self == .day ? DateComponents(day: 1) : DateComponents(month: 1)
        return Self.calendar.date(byAdding: step, to: start) ?? start.addingTimeInterval(TimeInterval(windowSeconds))
    }

    static let utc = TimeZone(identifier: "UTC")!

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = utc
        return calendar
    }()
}
