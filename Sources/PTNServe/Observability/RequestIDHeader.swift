import HTTPTypes

/// `X-Request-Id`: every response carries the request's id, the one its log lines carry as `hb.request.id`.
/// That id is Hummingbird's own, or the client's when the client sent a sane one (to follow a request through proxies).
enum RequestIDHeader {
    /// The header name.
    static let name = HTTPField.Name("X-Request-Id")!
    /// The logger metadata key Hummingbird gives each request's id (`RequestContext.id` reads it).
    static let metadataKey = "hb.request.id"

    /// The client's id if it is 1 to 128 characters of letters, digits and `-_.:`; anything else (which could inject
    /// into logs) is ignored.
    static func accepted(_ value: String?) -> String? {
        guard let value, (1...128).contains(value.utf8.count) else { return nil }
        let allowed = value.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                true
            case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"):
                true
            default:
                false
            }
        }
        return allowed ? value : nil
    }
}
