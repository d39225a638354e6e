import Crypto
import Foundation
import NIOCore

/// One static file of the pages (script, style sheet, icon): its bytes, gzip form and content hash, held in memory.
struct WebAsset: Sendable {
    let name: String
    let contentType: String
    let bytes: ByteBuffer
    /// The gzip form, when it is smaller.
    let gzipped: ByteBuffer?
    /// A strong ETag from the content hash; also the `?v=` of the asset's URL, so a new build is fetched at once.
    let etag: String
    let version: String

    init(name: String, data: Data) {
        self.name = name
        self.contentType = Self.contentType(of: name)
        self.bytes = ByteBuffer(data: data)
        let compressed = try? Gzip.compress(bytes, level: .bestCompression)
        self.gzipped = compressed.flatMap { $0.readableBytes < data.count ? $0 : nil }
        let digest = SHA256.hash(data: data).prefix(8).map { String(format: "%02x", $0) }.joined()
        self.version = digest
        self.etag = "\"\(digest)\""
    }

    static func contentType(of name: String) -> String {
        switch name.split(separator: ".").last {
        case "js": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        default: "application/octet-stream"
        }
    }
}
