import Foundation

extension KeyPlan {
    /// Reads `quota`, `expires` and `routes` from a key file entry; a malformed value throws a failure naming `alias`
    /// and the field (never the key), which refuses the whole file.
    init(entry: [String: Any], alias: String) throws(APIKeyFile.Failure) {
        func failure(_ field: String, _ problem: String) -> APIKeyFile.Failure {
            APIKeyFile.Failure(description: "\"\(alias)\": \"\(field)\" \(problem)")
        }
        self.init()
        if let value = entry["quota"] {
            guard let object = value as? [String: Any] else { throw failure("quota", "must be an object such as {\"requests\": 100000, \"period\": \"month\"}") }
            if let unknown = object.keys.sorted().first(where: { !["requests", "bytes", "period"].contains($0) }) {
                throw failure("quota.\(unknown)", "is not a quota field (requests, bytes, period)")
            }
            guard let periodName = object["period"] as? String, let period = QuotaPeriod(rawValue: periodName) else {
                throw failure("quota.period", "must be \"day\" or \"month\"")
            }
            var quota = KeyQuota(period: period)
            if let requests = object["requests"] {
                guard let count = Self.wholeNumber(requests), count >= 1 else { throw failure("quota.requests", "must be a whole number of at least 1") }
                quota.requests = count
            }
            if let bytes = object["bytes"] {
                let size = Self.wholeNumber(bytes) ?? (bytes as? String).flatMap(ByteCount.parse)
                guard let size, size >= 1 else { throw failure("quota.bytes", "must be a size such as \"20 GB\" or a number of bytes") }
                quota.bytes = size
            }
            guard quota.requests != nil || quota.bytes != nil else { throw failure("quota", "needs \"requests\", \"bytes\" or both") }
            self.quota = quota
        }
        if let value = entry["expires"] {
            guard let text = value as? String, let date = Self.parseDate(text) else {
                throw failure("expires", "must be an ISO 8601 time such as \"2027-01-31T00:00:00Z\"")
            }
            expires = date
        }
        if let value = entry["routes"] {
            guard let list = value as? [String], list.count == (value as? [Any])?.count, let scope = RouteScope(list) else {
                throw failure("routes", "must be a list of paths (a trailing * matches any ending) and \"ws\"")
            }
            routes = scope
        }
    }

    /// An ISO 8601 time with a zone (`2027-01-31T00:00:00Z`, fractions allowed), or a date (`2027-01-31`, midnight UTC).
    package static func parseDate(_ text: String) -> Date? {
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds], [.withFullDate]] {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = options
            formatter.timeZone = QuotaPeriod.utc
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    /// `date` as the key file and the answers write it: `2027-01-31T00:00:00Z`.
    package static func timeText(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// A JSON number that is a whole number (not a fraction, not text).
    static func wholeNumber(_ value: Any) -> Int64? {
        guard !(value is String), let number = value as? NSNumber else { return nil }
        let double = number.doubleValue
        guard double == double.rounded(), abs(double) < 9e18 else { return nil }
        return number.int64Value
    }

    /// The entry's fields for the key file, as `KeyFileEditor` writes them.
    var keyFileFields: [String: Any] {
        var fields = [String: Any]()
        if let quota {
            var object: [String: Any] = ["period": quota.period.rawValue]
            if let requests = quota.requests { object["requests"] = requests }
            if let bytes = quota.bytes { object["bytes"] = ByteCount.text(bytes) }
            fields["quota"] = object
        }
        if let expires { fields["expires"] = Self.timeText(expires) }
        if let routes { fields["routes"] = routes.patterns }
        return fields
    }
}
