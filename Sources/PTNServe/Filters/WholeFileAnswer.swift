import HTTPTypes
import NIOCore

/// A whole-file answer rebuilt around some of its entries: the top-level object of those members, or the document
/// with its entries array holding only them (the other members as they are).
enum WholeFileAnswer {
    /// The answer's bytes from the chosen entries' bytes (`parts`, in file order, under `keys`).
    static func assemble(_ parts: [ByteBuffer], keys: [String], source: EntrySource, document: JSONBody) throws -> ByteBuffer {
        var out = ByteBufferAllocator().buffer(capacity: parts.reduce(64) { $0 + $1.readableBytes + 64 })
        switch source {
        case .members:
            out.writeString("{")
            for (index, part) in parts.enumerated() {
                if index > 0 { out.writeString(", ") }
                out.writeString(JSONText.quoted(keys[index]) + ": ")
                out.writeImmutableBuffer(part)
            }
            out.writeString("}")
        case .array(let path, _):
            let whole = try document.identity ?? Gzip.decompress(document.gzip ?? ByteBuffer())
            whole.withUnsafeReadableBytes { raw in
                guard let array = JSONPath.values(raw, in: 0 ..< raw.count, path: path).first else {
                    out.writeBytes(raw)
                    return
                }
                out.writeBytes(UnsafeRawBufferPointer(rebasing: raw[..<array.lowerBound]))
                out.writeJSONArray(parts) { $0.writeImmutableBuffer($1) }
                out.writeBytes(UnsafeRawBufferPointer(rebasing: raw[array.upperBound...]))
            }
        }
        return out
    }

    /// The unknown keys for the response header: the first 20, then how many more.
    static func headerList(_ unknown: [String]) -> String {
        let shown = unknown.prefix(20).map { key in String(key.unicodeScalars.filter { $0.isASCII && $0.value >= 0x21 && $0 != "," }) }
        return shown.joined(separator: ",") + (unknown.count > 20 ? " (+\(unknown.count - 20) more)" : "")
    }
}

extension HTTPField.Name {
    /// Keys a `?hotkeys=` list named that the file does not hold.
    static let unknownKeys = HTTPField.Name("X-Unknown-Keys")!
}
