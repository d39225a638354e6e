import PTNServe

/// Formats epoch milliseconds as UTC calendar strings without Foundation's locale-dependent formatters.
enum UTCDateFormat {
    /// `YYYY-MM-DD`.
    static func date(_ milliseconds: Int64) -> String {
        let (year, month, day) = CivilDate.civil(fromDays: CivilDate.floorDivide(milliseconds, 86_400_000))
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// `YYYY-MM-DD HH:MM:SS`, as PTN's `created_date`.
    static func dateTime(_ milliseconds: Int64) -> String {
        let seconds = CivilDate.floorDivide(milliseconds, 1000) - CivilDate.floorDivide(milliseconds, 86_400_000) * 86_400
        return date(milliseconds) + " \(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2))"
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
