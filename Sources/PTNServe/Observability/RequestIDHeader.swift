import HTTPTypes
import Synchronization

/// `X-Request-Id`: the client's own id when it is sane, else one generated here.
public enum RequestID {
    /// The header name.
    public static let header = HTTPField.Name("X-Request-Id")!

    /// The client's id if it is 1 to 128 characters of letters, digits and `-_.:`; anything else (which could inject
    /// into logs) is ignored.
    public static func accepted(_ value: String?) -> String? {
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

    /// A new id: 16 hex digits, a random half drawn once per process and a counter (no system call per request).
    public static func generate() -> String {
        let value = processPrefix << 32 | UInt64(counter.wrappingAdd(1, ordering: .relaxed).newValue)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    private static let processPrefix = UInt64(UInt32.random(in: .min ... .max))
    private static let counter = Atomic<UInt32>(0)
}
