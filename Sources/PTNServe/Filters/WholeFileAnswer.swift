import HTTPTypes
import NIOCore

/// A whole-file answer rebuilt around some of its entries: the top-level object of those members, or the document
/// with its entries array holding only them (the other members as they are).
enum WholeFileAnswer {
    /// The answer's bytes from the chosen entries' bytes (`parts`, in file order, under `keys`): a new top-level
    /// object for member entries; for an array's entries, the document around the array kept as it is.
    static func assemble(_ parts: [ByteBuffer], keys: [String], in entries: KeyedEntries, document: JSONBody) throws -> ByteBuffer {
        var out = ByteBufferAllocator().buffer(capacity: parts.reduce(64) { $0 + $1.readableBytes + 64 })
        guard let array = entries.container else {
            out.writeString("{")
            for (index, part) in parts.enumerated() {
                if index > 0 { out.writeString(", ") }
                out.writeString(JSONText.quoted(keys[index]) + ": ")
                out.writeImmutableBuffer(part)
            }
            out.writeString("}")
            return out
        }
        let whole = try document.identity ?? Gzip.decompress(document.gzip ?? ByteBuffer())
        out.writeImmutableBuffer(whole.getSlice(at: whole.readerIndex, length: array.lowerBound)!)
        out.writeJSONArray(parts) { $0.writeImmutableBuffer($1) }
        out.writeImmutableBuffer(whole.getSlice(at: whole.readerIndex + array.upperBound, length: whole.readableBytes - array.upperBound)!)
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
