import Foundation
import HTTPTypes
import Hummingbird

/// Finds the API key a request presents, in the order the seed's clients and PTN's clients send it.
struct APIKeyExtractor: Sendable {
    /// Whether `?api_key=` counts (keys in URLs leak into access logs, so only on request).
    let allowQueryKey: Bool
    /// Largest JSON body read for `{"api_key": ...}`.
    static let maxBodySize = RequestLimits.maxBodyBytes

    init(allowQueryKey: Bool) {
        self.allowQueryKey = allowQueryKey
    }

    /// The key, or nil if the request carries none. Throws for a body too large or not JSON when it is the only source.
    func key(in request: inout Request) async throws -> String? {
        if let key = headerKey(request) { return key }
        if let key = try await Self.bodyKey(in: &request) { return key }
        return queryKey(request)
    }

    /// The key in `Authorization` or `X-API-Key`, the sources read before the body.
    func headerKey(_ request: Request) -> String? {
        let authorization = request.headers[values: .authorization]
        if let key = Self.bearerKey(authorization) ?? Self.rawKey(authorization) { return key }
        if let key = request.headers[.apiKey], !key.isEmpty { return key }
        return nil
    }

    /// The key in `?api_key=`, read after the body and only with `allowQueryKey`.
    func queryKey(_ request: Request) -> String? {
        if allowQueryKey, let key = request.uri.queryParameters.get("api_key"), !key.isEmpty { return key }
        return nil
    }

    /// `Authorization: Bearer <key>`, scheme case-insensitive; the first header that is a bearer token wins.
    /// Compared on UTF-8 bytes: this runs on every request, and Foundation's string handling showed in its profile.
    static func bearerKey(_ values: [String]) -> String? {
        for value in values {
            let text = value.drop { $0 == " " }
            guard let schemeEnd = text.utf8.firstIndex(of: UInt8(ascii: " ")),
                text.utf8[..<schemeEnd].elementsEqual("bearer".utf8, by: { ($0 | 0x20) == $1 })
            else { continue }
            let key = text[schemeEnd...].trimmingOptionalWhitespace
            if !key.isEmpty { return String(key) }
        }
        return nil
    }

    /// `Authorization: <key>` with no scheme, as Vanta's 2026 server accepts: the first value that is one token (no
    /// space or tab inside). A value with a scheme other than Bearer (`Basic ...`) is not a key.
    static func rawKey(_ values: [String]) -> String? {
        for value in values {
            let token = Substring(value).trimmingOptionalWhitespace
            if !token.isEmpty, !token.utf8.contains(where: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) {
                return String(token)
            }
        }
        return nil
    }

    /// The seed's documented usage: a GET with the JSON body `{"api_key": "..."}`.
    static func bodyKey(in request: inout Request) async throws -> String? {
        let body = try await request.collectBody(upTo: maxBodySize)
        guard body.readableBytes > 0 else { return nil }
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] else {
            throw APIError.badRequest("the request body must be a JSON object such as {\"api_key\": \"...\"}")
        }
        guard let key = object["api_key"] as? String, !key.isEmpty else { return nil }
        return key
    }
}

extension HTTPField.Name {
    /// `X-API-Key`, the conventional header for API keys.
    static let apiKey = HTTPField.Name("X-API-Key")!
}
