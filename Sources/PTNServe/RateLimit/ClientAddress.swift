import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The address a request is attributed to for per-address limits.
enum ClientAddress {
    /// The peer's IP, or with `trustProxy` the last `X-Forwarded-For` entry: the one our own proxy appended (earlier
    /// entries are whatever the client chose to send, so they are never trusted).
    static func of(_ request: Request, context: AppRequestContext, trustProxy: Bool) -> String {
        of(headers: request.headers, peer: context.remoteAddress, trustProxy: trustProxy)
    }

    /// The same from a request head and its connection's peer (a WebSocket upgrade, before any router runs).
    static func of(headers: HTTPFields, peer: SocketAddress?, trustProxy: Bool) -> String {
        if trustProxy, let forwarded = headers[values: .xForwardedFor].last,
            let last = forwarded.split(separator: ",").last?.trimmingOptionalWhitespace, !last.isEmpty
        {
            return String(last)
        }
        return peer?.ipAddress ?? "unknown"
    }
}

extension HTTPField.Name {
    /// `X-Forwarded-For`, set by reverse proxies.
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
