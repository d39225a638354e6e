/// Why a document is not valid JSON, and where.
package struct JSONScanError: Error, Equatable, CustomStringConvertible {
    /// Byte offset of the first byte that made the document invalid (the end offset for truncated input).
    package let offset: Int
    /// Human-readable reason, for logs and error responses.
    package let reason: String

    /// Creates an error at `offset`.
    package init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    /// Text suitable for a log line.
    package var description: String { "invalid JSON at byte \(offset): \(reason)" }
}
