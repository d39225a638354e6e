import Foundation
import HTTPTypes
import Hummingbird

/// The address a request is attributed to for per-address limits.
enum ClientAddress {
    /// The peer's IP, or with `trustProxy` the last `X-Forwarded-For` entry: the one our own proxy appended (earlier
    /// entries are whatever the client chose to send, so they are never trusted).
    static func of(_ request: Request, context: AppRequestContext, trustProxy: Bool) -> String {
        if trustProxy, let forwarded = request.headers[values: .xForwardedFor].last,
            let last = forwarded.split(separator: ",").last?.trimmingOptionalWhitespace, !last.isEmpty
        {
            return String(last)
        }
        return context.remoteAddress?.ipAddress ?? "unknown"
    }
}

extension HTTPField.Name {
    /// `X-Forwarded-For`, set by reverse proxies.
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
