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
        Date(timeIntervalSince1970: TimeInterval(bounds(containing: Self.seconds(date)).lowerBound))
    }

    /// The start of the next period after the one holding `date`: when the quota refills.
    public func end(containing date: Date) -> Date {
        Date(timeIntervalSince1970: TimeInterval(bounds(containing: Self.seconds(date)).upperBound))
    }

    /// The period holding `seconds` since 1970, as seconds since 1970: its start and the next one's. Integer
    /// arithmetic on the Gregorian calendar in UTC (days since 1970 to and from year, month and day), because every
    /// answer to a key with a quota needs it and Foundation's Calendar costs microseconds a call.
    func bounds(containing seconds: Int64) -> Range<Int64> {
        let day = Self.floorDivide(seconds, 86_400)
        switch self {
        case .day:
            return day * 86_400..<(day + 1) * 86_400
        case .month:
            let (year, month, _) = Self.civil(fromDays: day)
            let next = month == 12 ? (year + 1, Int64(1)) : (year, month + 1)
            return Self.days(year: year, month: month, day: 1) * 86_400..<Self.days(year: next.0, month: next.1, day: 1) * 86_400
        }
    }

    static let utc = TimeZone(identifier: "UTC")!

    private static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : (a - b + 1) / b }

    /// Days since 1970-01-01 of a Gregorian date (H. Hinnant's `days_from_civil`).
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDivide(y, 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The Gregorian date of a count of days since 1970-01-01 (H. Hinnant's `civil_from_days`).
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153
        let month = shifted < 10 ? shifted + 3 : shifted - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, dayOfYear - (153 * shifted + 2) / 5 + 1)
    }
}
