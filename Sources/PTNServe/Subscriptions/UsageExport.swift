import Foundation

/// Usage rows as the billing export writes them (`ptn-serve usage`): CSV with a header line, or a JSON array.
package enum UsageExport {
    /// The formats `--format` takes.
    package enum Format: String, Sendable, CaseIterable {
        case csv, json
    }

    /// The CSV columns, in order.
    package static let columns = ["hour", "key", "route", "requests", "bytes", "client_errors", "rate_limited", "stream_seconds"]

    /// `rows` in `format`, ending with a newline.
    package static func render(_ rows: [UsageRow], format: Format) -> String {
        switch format {
        case .csv:
            // Appended field by field into one buffer, each hour formatted once: the export of a month of a thousand keys
            // is millions of fields.
            var hours = HourTexts()
            var text = columns.joined(separator: ",") + "\n"
            text.reserveCapacity(rows.count * 80)
            for row in rows {
                text += hours.text(row.hourStart)
                for field in [row.alias, row.route] {
                    text += ","
                    text += csvField(field)
                }
                for count in [row.requests, row.bytes, row.clientErrors, row.rateLimited, row.streamSeconds] {
                    text += ","
                    text += String(count)
                }
                text += "\n"
            }
            return text
        case .json:
            var hours = HourTexts()
            let objects: [[String: Any]] = rows.map { row in
                ["hour": hours.text(row.hourStart), "key": row.alias, "route": row.route, "requests": row.requests, "bytes": row.bytes,
                 "client_errors": row.clientErrors, "rate_limited": row.rateLimited, "stream_seconds": row.streamSeconds]
            }
            let data = (try? JSONSerialization.data(withJSONObject: objects, options: [.sortedKeys])) ?? Data("[]".utf8)
            return String(decoding: data, as: UTF8.self) + "\n"
        }
    }

    /// Hour starts as text, each formatted once (a formatter per row was most of the export's time).
    private struct HourTexts {
        var known = [Int64: String]()

        mutating func text(_ hourStart: Int64) -> String {
            if let text = known[hourStart] { return text }
            let text = hourText(hourStart)
            known[hourStart] = text
            return text
        }
    }

    /// An hour start as `2026-01-05T10:00:00Z`.
    static func hourText(_ seconds: Int64) -> String {
        KeyPlan.timeText(Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
    static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
