import Foundation

/// Usage rows as the billing export writes them (`ptn-serve usage`): CSV with a header line, or a JSON array.
public enum UsageExport {
    /// The formats `--format` takes.
    public enum Format: String, Sendable, CaseIterable {
        case csv, json
    }

    /// The CSV columns, in order.
    public static let columns = ["hour", "key", "route", "requests", "bytes", "client_errors", "rate_limited", "stream_seconds"]

    /// `rows` in `format`, ending with a newline.
    public static func render(_ rows: [UsageRow], format: Format) -> String {
        switch format {
        case .csv:
            var text = columns.joined(separator: ",") + "\n"
            for row in rows {
                let fields = [hourText(row.hourStart), csvField(row.alias), csvField(row.route)]
                    + [row.requests, row.bytes, row.clientErrors, row.rateLimited, row.streamSeconds].map { String($0) }
                text += fields.joined(separator: ",") + "\n"
            }
            return text
        case .json:
            let objects: [[String: Any]] = rows.map { row in
                ["hour": hourText(row.hourStart), "key": row.alias, "route": row.route, "requests": row.requests, "bytes": row.bytes,
                 "client_errors": row.clientErrors, "rate_limited": row.rateLimited, "stream_seconds": row.streamSeconds]
            }
            let data = (try? JSONSerialization.data(withJSONObject: objects, options: [.sortedKeys])) ?? Data("[]".utf8)
            return String(decoding: data, as: UTF8.self) + "\n"
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
