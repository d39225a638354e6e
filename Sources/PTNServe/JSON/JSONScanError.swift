/// Why a document is not valid JSON, and where.
public struct JSONScanError: Error, Equatable, CustomStringConvertible {
    /// Byte offset of the first byte that made the document invalid (the end offset for truncated input).
    public let offset: Int
    /// Human-readable reason, for logs and error responses.
    public let reason: String

    /// Creates an error at `offset`.
    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    /// Text suitable for a log line.
    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}
