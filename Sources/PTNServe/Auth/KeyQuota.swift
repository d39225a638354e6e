import Foundation

/// A key's quota from the key file: requests and/or body bytes sent per calendar period (UTC).
package struct KeyQuota: Sendable, Equatable {
    /// Requests per period (every answer but a 429 counts), or nil for no request quota.
    package var requests: Int64?
    /// Body bytes sent per period (after compression), or nil for no byte quota.
    package var bytes: Int64?
    package var period: QuotaPeriod

    package init(requests: Int64? = nil, bytes: Int64? = nil, period: QuotaPeriod) {
        self.requests = requests
        self.bytes = bytes
        self.period = period
    }

    /// The command line's form: `REQUESTS/PERIOD`, `SIZE/PERIOD` or `REQUESTS,SIZE/PERIOD` (`100000,20GB/month`).
    package init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let period = QuotaPeriod(rawValue: parts[1].trimmingCharacters(in: .whitespaces)) else { return nil }
        self.period = period
        for amount in parts[0].split(separator: ",") {
            let word = amount.trimmingCharacters(in: .whitespaces)
            if let count = Int64(word), count >= 1, requests == nil {
                requests = count
            } else if let size = ByteCount.parse(word), Int64(word) == nil, bytes == nil {
                bytes = size
            } else {
                return nil
            }
        }
        guard requests != nil || bytes != nil else { return nil }
    }

    /// The command line's form, as `keys list` shows it.
    package var description: String {
        [requests.map { String($0) }, bytes.map(ByteCount.text)].compactMap { $0 }.joined(separator: ",") + "/" + period.rawValue
    }
}
