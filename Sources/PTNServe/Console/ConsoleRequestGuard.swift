import Foundation
import HTTPTypes
import Hummingbird

/// Guards the console against other sites: every console request must name this listener by an address (an IP
/// literal, `localhost` or `--metrics-host`), which defeats DNS rebinding; a change (POST, DELETE) must also carry the
/// page's token in `X-Console-Token`, and an `Origin` or `Sec-Fetch-Site`, when sent, must be this console's own.
struct ConsoleRequestGuard<Context: RequestContext>: RouterMiddleware {
    static var tokenHeader: HTTPField.Name { HTTPField.Name("X-Console-Token")! }
    let token: ConsoleToken
    /// The listener's configured address, accepted as a Host name besides IP literals and `localhost`.
    let listenHost: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // HTTP/1's Host header arrives as the request's authority.
        let authority = request.head.authority ?? ""
        guard let host = Self.hostName(authority), Self.isAllowed(host: host, listenHost: listenHost) else {
            throw APIError.forbidden("the console answers only when addressed as this listener's IP address or localhost")
        }
        if request.method != .get, request.method != .head {
            if let site = request.headers[.secFetchSite], site != "same-origin", site != "none" {
                throw APIError.forbidden("cross-site request refused")
            }
            if let origin = request.headers[.origin], !Self.origin(origin, matchesHost: authority) {
                throw APIError.forbidden("cross-site request refused: the Origin is not this console")
            }
            guard token.isValid(request.headers[Self.tokenHeader]) else {
                throw APIError.forbidden("missing or expired console token: reload the console page")
            }
        }
        return try await next(request, context)
    }

    static func isAllowed(host: String, listenHost: String) -> Bool {
        let name = host.lowercased()
        return name == "localhost" || name == listenHost.lowercased() || Self.isIPLiteral(name)
    }

    /// `Host`'s name without the port; IPv6 literals keep their brackets off.
    static func hostName(_ header: String) -> String? {
        if header.hasPrefix("[") {
            guard let end = header.firstIndex(of: "]") else { return nil }
            return String(header[header.index(after: header.startIndex)..<end])
        }
        return header.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)
    }

    static func isIPLiteral(_ name: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, name, &v4) == 1 || inet_pton(AF_INET6, name, &v6) == 1
    }

    /// Whether `origin` (`scheme://host[:port]`) is the page's own: the same host and port the request was sent to.
    static func origin(_ origin: String, matchesHost host: String) -> Bool {
        guard let components = URLComponents(string: origin), let scheme = components.scheme, scheme == "http" || scheme == "https" else {
            return false
        }
        let rest = origin.dropFirst(scheme.count + 3)
        return rest.lowercased() == host.lowercased()
    }
}

extension HTTPField.Name {
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
}
