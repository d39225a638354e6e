import Foundation

/// The current day and month (UTC) as ranges of seconds since 1970, so the meter finds a time's periods with two
/// comparisons instead of a calendar computation on every answer and every stream frame.
struct PeriodBounds: Sendable, Equatable {
    let day: Range<Int64>
    let month: Range<Int64>

    /// The day and month holding `date`.
    init(containing date: Date) {
        func range(_ period: QuotaPeriod) -> Range<Int64> {
            Int64(period.start(containing: date).timeIntervalSince1970)..<Int64(period.end(containing: date).timeIntervalSince1970)
        }
        day = range(.day)
        month = range(.month)
    }

    /// Whether `seconds` falls in this day (and so in this month).
    func contains(_ seconds: Int64) -> Bool { day.contains(seconds) }

    /// The start of `period`.
    func start(of period: QuotaPeriod) -> Int64 {
        switch period {
        case .day: day.lowerBound
        case .month: month.lowerBound
        }
    }
}
