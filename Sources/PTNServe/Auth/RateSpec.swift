/// A request rate written `N/UNIT` (UNIT `s`, `min` or `h`), as in `--rate-limit 600/min` or a key's `"rate"`.
package struct RateSpec: Sendable, Equatable, CustomStringConvertible {
    /// Requests allowed per period; also the burst a fresh bucket allows.
    package let count: Int
    /// The period, in seconds.
    package let periodSeconds: Int

    package init(count: Int, periodSeconds: Int) {
        self.count = count
        self.periodSeconds = periodSeconds
    }

    /// Parses `N/s`, `N/min` or `N/h` with N ≥ 1; nil for anything else.
    package init?(parsing text: String) {
        let parts = text.trimmingPrefixAndSuffixSpaces().split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let count = Int(parts[0]), count >= 1 else { return nil }
        let seconds: Int
        switch parts[1] {
        case "s", "sec": seconds = 1
        case "min", "m": seconds = 60
        case "h", "hour": seconds = 3600
        default: return nil
        }
        self.init(count: count, periodSeconds: seconds)
    }

    /// Tokens refilled per second.
    var perSecond: Double { Double(count) / Double(periodSeconds) }

    package var description: String {
        switch periodSeconds {
        case 1: "\(count)/s"
        case 60: "\(count)/min"
        case 3600: "\(count)/h"
        default: "\(count)/\(periodSeconds)s"
        }
    }
}

extension String {
    fileprivate func trimmingPrefixAndSuffixSpaces() -> Substring {
        var slice = Substring(self)
        while slice.first == " " { slice.removeFirst() }
        while slice.last == " " { slice.removeLast() }
        return slice
    }
}
