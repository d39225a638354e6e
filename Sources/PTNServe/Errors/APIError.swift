import HTTPTypes
import Hummingbird

/// Every error a client can get, with its status and the message of the `{"error": "..."}` body. The data routes'
/// messages come from the route table (PTN's exact wording lives in its profile).
enum APIError: Error, Equatable, Sendable {
    case unauthorized
    /// A query parameter value the route does not take; the message is the route's.
    case invalidQuery(String)
    /// The key's tier is below what the route needs; the message is the route's.
    case forbidden(String)
    /// No file, or no such entry; the message is the route's.
    case notFound(String)
    /// No such entry; the message is the route's, followed in the body by the route's extra members (an object), if any.
    case unknownEntry(String, members: JSONTree?)
    case resourceNotFound
    case methodNotAllowed
    case badRequest(String)
    /// The request conflicts with what exists (a key name already taken); the message says what.
    case conflict(String)
    /// The request's framing broke off mid-body (a bad chunk, say): nothing more on the connection can be trusted.
    case malformedFraming
    /// The request's body did not arrive within the read timeout.
    case requestTimeout
    case bodyTooLarge
    case rangeNotSatisfiable(length: Int)
    case internalError
    // Hardening: limits.
    case rateLimited(RateLimitDecision)
    case uriTooLong
    case headersTooLarge
    /// A plain HTTP request to a WebSocket endpoint.
    case upgradeRequired
    /// A new stream asked for while the server stops.
    case shuttingDown
    // Selling access: a key's plan.
    /// The key's `expires` has passed (403, not 401: the key is known).
    case keyExpired
    /// The route is outside the key's `routes`; the message names it.
    case outOfScope(String)
    /// A quota of the key is used up until its period ends.
    case quotaExceeded(QuotaRefusal)
    /// The key was taken out of the key file while one of its streams was open (a request with it gets 401).
    case keyRevoked

    /// The HTTP status.
    var status: HTTPResponse.Status {
        switch self {
        case .unauthorized, .keyRevoked: .unauthorized
        case .invalidQuery, .badRequest, .malformedFraming: .badRequest
        case .requestTimeout: .requestTimeout
        case .forbidden, .keyExpired, .outOfScope: .forbidden
        case .notFound, .unknownEntry, .resourceNotFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .conflict: .conflict
        case .bodyTooLarge: .contentTooLarge
        case .rangeNotSatisfiable: .rangeNotSatisfiable
        case .internalError: .internalServerError
        case .rateLimited, .quotaExceeded: .tooManyRequests
        case .uriTooLong: .uriTooLong
        case .headersTooLarge: .requestHeaderFieldsTooLarge
        case .upgradeRequired: .upgradeRequired
        case .shuttingDown: .serviceUnavailable
        }
    }

    /// The `error` string of the body; PTN's exact wording where PTN has one.
    var message: String {
        switch self {
        case .unauthorized: "Unauthorized access"
        case .invalidQuery(let message), .forbidden(let message), .notFound(let message), .conflict(let message),
            .unknownEntry(let message, _): message
        case .resourceNotFound: "Resource not found"
        case .methodNotAllowed: "Method not allowed"
        case .badRequest(let detail): "Bad request: \(detail)"
        case .malformedFraming: "Bad request: malformed request framing"
        case .requestTimeout: "Request body not received in time"
        case .bodyTooLarge: "Request body too large (limit \(RequestLimits.maxBodyBytes / 1024) KiB)"
        case .rangeNotSatisfiable: "Requested range not satisfiable"
        case .internalError: "An error occurred processing your request"
        case .rateLimited(let decision): "Too many requests; retry in \(decision.retryAfterSeconds) s"
        case .uriTooLong: "Request URL too long (limit \(RequestLimits.maxURLBytes / 1024) KiB)"
        case .headersTooLarge: "Request header fields too large (limit \(RequestLimits.maxHeaderBytes / 1024) KiB)"
        case .keyExpired: "API key expired"
        case .keyRevoked: "API key revoked"
        case .outOfScope(let route): "This API key does not give access to \(route)"
        case .quotaExceeded(let refusal): refusal.message
        case .shuttingDown: "Server shutting down; reconnect in a moment"
        case .upgradeRequired: "This is PTN's WebSocket endpoint: connect with a WebSocket client and send {\"api_key\": \"...\", \"last_sequence\": -1}"
        }
    }
}

extension APIError: HTTPResponseError {
    func response(from request: Request, context: some RequestContext) throws -> Response {
        prepared.response
    }

    /// The `{"error": "..."}` answer with its status and fields, as both lanes write it.
    var prepared: PreparedResponse {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if self == .methodNotAllowed { headers[.allow] = "GET, HEAD" }
        if self == .upgradeRequired {
            headers[.upgrade] = "websocket"
            headers[.connection] = "Upgrade"
        }
        // The server closes the connection after these: the rest of the byte stream cannot be read as requests.
        if self == .malformedFraming || self == .requestTimeout || self == .shuttingDown { headers[.connection] = "close" }
        if self == .shuttingDown { headers[.retryAfter] = "1" }
        if case .rangeNotSatisfiable(let length) = self { headers[.contentRange] = "bytes */\(length)" }
        if case .rateLimited(let decision) = self {
            headers[.retryAfter] = String(decision.retryAfterSeconds)
            headers.addRateLimitFields(decision)
        }
        if case .quotaExceeded(let refusal) = self { headers[.retryAfter] = String(refusal.retryAfterSeconds) }
        var body = JSONText.errorObject(message)
        if case .unknownEntry(_, .object(let members)?) = self, !members.isEmpty {
            body = String(body.dropLast()) + members.map { ", \(JSONText.quoted($0.0)): \($0.1.text)" }.joined() + "}"
        }
        return PreparedResponse(status: status, headers: headers, body: .bytes(ByteBuffer(string: body)))
    }
}
