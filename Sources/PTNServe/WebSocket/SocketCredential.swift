/// How a WebSocket client authenticates: Vanta's clients of 2026 put the key on the upgrade request
/// (`Authorization: Bearer <key>`) and wait for the server to speak; PTN's clients of 2025 send no header and an auth
/// frame first.
enum SocketCredential: Sendable, Equatable {
    /// No `Authorization` header: the 2025 protocol, the key comes in the first frame.
    case authFrame
    /// A bearer key on the upgrade request: answered at once, no frame awaited.
    case header(String)
    /// An `Authorization` header that carries no bearer key: refused at once, as Vanta's server does.
    case malformedHeader

    init(authorization values: [String]) {
        if let key = APIKeyExtractor.bearerKey(values) {
            self = .header(key)
        } else {
            self = values.isEmpty ? .authFrame : .malformedHeader
        }
    }
}
