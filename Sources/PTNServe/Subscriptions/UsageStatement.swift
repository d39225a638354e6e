import Foundation

/// A key's own usage as `GET /usage` answers it: its plan, what is left of its quota, and its use per hour and per
/// day (UTC) over the last 90 days, every route together.
enum UsageStatement {
    /// How far back the statement goes.
    static let days = 90

    /// The statement's JSON object.
    static func object(client: APIClient, rows: [UsageRow], standing: QuotaStanding?, now: Date) -> [String: Any] {
        var hours = [Int64: UsageRow]()
        var days = [Int64: UsageRow]()
        for row in rows {
            let day = row.hourStart - ((row.hourStart % 86_400) + 86_400) % 86_400
            hours[row.hourStart, default: UsageRow(alias: row.alias, route: "", hourStart: row.hourStart)].add(row)
            days[day, default: UsageRow(alias: row.alias, route: "", hourStart: day)].add(row)
        }
        func counts(_ row: UsageRow, _ name: String, _ time: String) -> [String: Any] {
            [name: time, "requests": row.requests, "bytes": row.bytes, "client_errors": row.clientErrors,
             "rate_limited": row.rateLimited, "stream_seconds": row.streamSeconds]
        }
        var object: [String: Any] = [
            "key": client.alias,
            "tier": client.tier,
            "expires": client.plan.expires.map(KeyPlan.timeText) ?? NSNull(),
            "routes": client.plan.routes?.patterns ?? NSNull(),
            "quota": standing.map { QuotaStatement($0).object } ?? NSNull(),
            "hours": hours.keys.sorted().map { counts(hours[$0]!, "hour", UsageExport.hourText($0)) },
            "days": days.keys.sorted().map { counts(days[$0]!, "day", String(UsageExport.hourText($0).prefix(10))) },
        ]
        object["generated_at"] = KeyPlan.timeText(now)
        return object
    }
}
