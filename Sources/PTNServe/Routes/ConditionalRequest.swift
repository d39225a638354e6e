import HTTPTypes
import Hummingbird

/// RFC 9110 §13 preconditions a response builder honours: `If-None-Match`, `If-Modified-Since` and `If-Range`.
enum ConditionalRequest {
    /// Whether the client's copy is current, so a 304 answers it.
    static func isNotModified(_ request: Request, etag: String, version: ContentVersion) -> Bool {
        let noneMatch = request.headers[values: .ifNoneMatch]
        if !noneMatch.isEmpty {
            // Weak comparison (§13.1.2): W/ prefixes are ignored.
            let tags = noneMatch.joined(separator: ",").split(separator: ",").map { tag in
                let trimmed = tag.trimmingOptionalWhitespace
                return trimmed.hasPrefix("W/") ? trimmed.dropFirst(2) : trimmed
            }
            return tags.contains("*") || tags.contains(Substring(etag))
        }
        guard let since = request.headers[.ifModifiedSince] else { return false }
        if since == version.lastModified { return true }
        guard let seconds = HTTPDate.parse(since) else { return false }
        return version.lastModifiedSeconds <= seconds
    }

    /// Whether a `Range` may be honoured: no `If-Range`, or one naming this exact representation (§13.1.5).
    static func rangeApplies(_ request: Request, etag: String, version: ContentVersion) -> Bool {
        guard let ifRange = request.headers[.ifRange]?.trimmingOptionalWhitespace else { return true }
        if ifRange.hasPrefix("\"") { return ifRange == etag }
        return ifRange == version.lastModified
    }
}
