extension APIError {
    /// The code a stream's last message gives when the key's plan ends it (the WebSocket error frame's `code`, the
    /// SSE `refused` event's `reason`), so a client can tell renewing from upgrading without reading the message.
    var planCode: String {
        switch self {
        case .keyExpired: "API_KEY_EXPIRED"
        case .keyRevoked: "API_KEY_REVOKED"
        case .quotaExceeded: "QUOTA_EXCEEDED"
        default: "ROUTE_NOT_ALLOWED"
        }
    }
}
