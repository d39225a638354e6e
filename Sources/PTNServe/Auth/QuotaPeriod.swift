import Foundation

/// The period a key's quota counts over: a calendar day or month in UTC, refilled at its start.
package enum QuotaPeriod: String, Sendable, Equatable, CaseIterable {
    case day, month

    /// The window the `RateLimit-Policy` field announces (`w`): a day, or 30 days for a month.
    package var windowSeconds: Int {
        switch self {
        case .day: 86_400
        case .month: 2_592_000
        }
    }

    /// The adjective of error messages: "Daily", "Monthly".
    var adjective: String { self == .day ? "Daily" : "Monthly" }

    /// The start of the period holding `date`.
    package func start(containing date: Date) -> Date {
        Date(timeIntervalSince1970: TimeInterval(bounds(containing: Self.seconds(date)).lowerBound))
    }

    /// The start of the next period after the one holding `date`: when the quota refills.
    package func end(containing date: Date) -> Date {
        Date(timeIntervalSince1970: TimeInterval(bounds(containing: Self.seconds(date)).upperBound))
    }

    /// The period holding `seconds` since 1970, as seconds since 1970: its start and the next one's. `CivilDate`'s
    /// arithmetic, because every answer to a key with a quota needs it and Foundation's Calendar costs microseconds.
    func bounds(containing seconds: Int64) -> Range<Int64> {
        let day = CivilDate.floorDivide(seconds, 86_400)
        switch self {
        case .day:
            return day * 86_400..<(day + 1) * 86_400
        case .month:
            let (year, month, _) = CivilDate.civil(fromDays: day)
            let next = month == 12 ? (year + 1, Int64(1)) : (year, month + 1)
            return CivilDate.days(year: year, month: month, day: 1) * 86_400..<CivilDate.days(year: next.0, month: next.1, day: 1) * 86_400
        }
    }

    static let utc = TimeZone(identifier: "UTC")!

    private static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }
}
