import Foundation
import NIOCore

/// A client's frame in PTN's WebSocket protocol: the first one authenticates, later ones control the session.
enum SocketRequest: Sendable, Equatable {
    /// `{"api_key": "...", "last_sequence": N}` (and ptn-serve's optional `epoch`).
    case auth(apiKey: String?, lastSequence: Int64, epoch: String?)
    /// `{"type": "subscribe", "all": true}`, optionally narrowed by `hotkeys` and `trade_pairs`; ptn-serve's
    /// `"entry_changes": true` adds the entry frames (a miner's own members), which PTN's clients of 2025 do not read.
    case subscribe(all: Bool, hotkeys: Set<String>?, tradePairs: Set<String>?, senderTimestamp: SocketEcho, entryChanges: Bool = false)
    case unsubscribe
    case ping(timestamp: SocketEcho)
    /// A `type` the protocol does not know: ignored, as PTN does.
    case unknown
    /// A subscribe whose lists are not arrays of strings: answered with an error status.
    case invalid(String)

    /// Reads one text frame; nil when it is not a JSON object (PTN logs and ignores those, or closes before auth).
    init?(text: String) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else { return nil }
        guard let type = object["type"] else {
            self = .auth(
                apiKey: object["api_key"] as? String,
                lastSequence: Self.integer(object["last_sequence"]) ?? -1,
                epoch: object["epoch"] as? String
            )
            return
        }
        switch type as? String {
        case "subscribe":
            do {
                self = .subscribe(
                    all: (object["all"] as? Bool) ?? false,
                    hotkeys: try Self.strings(object["hotkeys"], name: "hotkeys"),
                    // `trade_pair`, as the REST filters spell it, works too: one syntax for both.
                    tradePairs: try Self.strings(object["trade_pairs"] ?? object["trade_pair"], name: object["trade_pairs"] == nil ? "trade_pair" : "trade_pairs"),
                    senderTimestamp: SocketEcho(object["sender_timestamp"]),
                    entryChanges: (object["entry_changes"] as? Bool) ?? false
                )
            } catch {
                self = .invalid(error.message)
            }
        case "unsubscribe": self = .unsubscribe
        case "ping": self = .ping(timestamp: SocketEcho(object["timestamp"]))
        default: self = .unknown
        }
    }

    /// Whether the frame is an auth frame rather than a control message.
    var isAuth: Bool { if case .auth = self { true } else { false } }

    private struct ListError: Error { let message: String }

    private static func strings(_ value: Any?, name: String) throws(ListError) -> Set<String>? {
        guard let value, !(value is NSNull) else { return nil }
        guard let list = value as? [Any], let strings = list as? [String] else {
            throw ListError(message: "\(name) must be a list of strings")
        }
        return Set(strings)
    }

    /// A whole number (not a bool, not a fraction) that fits 64 bits.
    private static func integer(_ value: Any?) -> Int64? {
        // JSONSerialization reads `true` as a number whose type is "c" (char); a fraction does not cast to Int64.
        guard let number = value as? NSNumber, String(cString: number.objCType) != "c" else { return nil }
        return value as? Int64
    }
}

/// A value the client sent that the reply echoes as it came (PTN echoes timestamps), as compact JSON text.
struct SocketEcho: Sendable, Equatable {
    let json: String

    init(_ value: Any?) {
        guard let value, let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed]) else {
            json = "null"
            return
        }
        json = String(decoding: data, as: UTF8.self)
    }
}

/// The server's frames in PTN's protocol, with PTN's exact messages and codes; ptn-serve's additions are extra fields.
enum SocketReply {
    static let authenticationRequired = error("Authentication required. Please provide an API key.")
    static let invalidKey = error("Invalid API key. Authentication failed.")
    static let tooManyConnections = error("Disconnected due to too many connections for this API key", code: "MAX_CONNECTIONS_EXCEEDED")
    static let authenticationTimedOut = error(
        "Authentication required. No authentication frame received in time. Provide API key in Authorization: Bearer header."
    )
    /// Vanta's answer (2026) to an upgrade request whose `Authorization` header is not a bearer key.
    static let bearerHeaderRequired = error("Authentication required. Provide API key in Authorization: Bearer header.")

    /// An address over its budget of attempts without a valid key (`--ip-rate-limit`, shared with HTTP): the last
    /// frame before the close, with HTTP's 429 message.
    static func rateLimited(_ decision: RateLimitDecision) -> String {
        let text = error(APIError.rateLimited(decision).message, code: "RATE_LIMITED")
        return String(text.dropLast()) + ",\"retry_after\":\(decision.retryAfterSeconds)}"
    }

    /// A key refused by its plan (expired, revoked, `ws` outside its routes, a quota used up), at connect or while
    /// connected: the HTTP answer's message.
    static func refused(_ refusal: APIError) -> String {
        error(refusal.message, code: refusal.planCode)
    }

    static func insufficientTier(_ tier: Int) -> String {
        error("WebSocket connections require tier \(tier) access. Please upgrade your API key.", code: "INSUFFICIENT_TIER")
    }

    /// The success reply. `replay_available` is present when the client asked to resume (`last_sequence` ≥ 0): false
    /// means the events after it are no longer all held (or are of another epoch), so it re-fetches over REST and
    /// follows from `current_sequence`. To a client that authenticated on the upgrade request it also carries the
    /// members of Vanta's 2026 reply (`subscribed_subaccounts`, `hl_mappings`: empty here, as entity dashboards come
    /// from the validator's live state, not its files).
    static func authenticated(tier: Int, start: FollowStart, onUpgrade: Bool = false) -> String {
        var text = "{\"status\":\"success\",\"message\":\"Authentication successful.\",\"current_sequence\":\(start.lastSequence),"
            + "\"tier\":\(tier),\"epoch\":\(JSONText.quoted(start.epoch)),\"first_sequence\":\(start.firstSequence)"
        if start.requested != nil { text += ",\"replay_available\":\(start.replayAvailable)" }
        if onUpgrade { text += ",\"subscribed_subaccounts\":[],\"hl_mappings\":{}" }
        return text + "}"
    }

    static func subscription(
        action: String, all: Bool, hotkeys: Set<String>?, tradePairs: Set<String>?, senderTimestamp: SocketEcho?, entryChanges: Bool = false
    ) -> String {
        var text = "{\"type\":\"subscription_status\",\"status\":\"success\",\"all\":\(all),\"action\":\"\(action)\""
        if let hotkeys { text += ",\"hotkeys\":" + list(hotkeys) }
        if let tradePairs { text += ",\"trade_pairs\":" + list(tradePairs) }
        if entryChanges { text += ",\"entry_changes\":true" }
        if let senderTimestamp { text += ",\"sender_timestamp\":\(senderTimestamp.json),\"received_timestamp\":\(now())" }
        return text + "}"
    }

    static func subscriptionError(_ message: String) -> String {
        "{\"type\":\"subscription_status\",\"status\":\"error\",\"message\":\(JSONText.quoted(message))}"
    }

    static func pong(_ timestamp: SocketEcho) -> String {
        let now = now()
        return "{\"type\":\"pong\",\"client_timestamp\":\(timestamp.json),\"server_timestamp\":\(now),\"timestamp\":\(now)}"
    }

    /// The last frame to a follower that fell too far behind: where to resume (its `last_sequence` on reconnect).
    static func tooSlow(resumeAfter: Int64) -> String {
        "{\"status\":\"error\",\"message\":\"Disconnected: too far behind the stream. Reconnect with last_sequence \(resumeAfter).\","
            + "\"code\":\"TOO_SLOW\",\"resume_after\":\(resumeAfter)}"
    }

    private static func error(_ message: String, code: String? = nil) -> String {
        "{\"status\":\"error\",\"message\":\(JSONText.quoted(message))" + (code.map { ",\"code\":\"\($0)\"" } ?? "") + "}"
    }

    private static func list(_ values: Set<String>) -> String {
        "[" + values.sorted().map(JSONText.quoted).joined(separator: ",") + "]"
    }

    private static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}
