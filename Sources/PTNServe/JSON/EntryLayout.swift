/// Where a document's entries lie (the top-level object's members, the elements of an array at a dotted path, or the
/// members of an object at a dotted path), with each entry's key and the bytes to cut to drop a field from it. Byte
/// ranges only: nothing is decoded but keys.
package struct EntryLayout: Sendable {
    /// One entry.
    package struct Entry: Sendable, Equatable {
        /// The member name, or the element's key field; nil for unkeyed elements.
        package let key: String?
        /// The entry's value bytes.
        package let range: Range<Int>
        /// Per requested field the entry has: bytes whose removal leaves the entry without it (still valid JSON).
        package let cuts: [String: Range<Int>]
    }

    /// Why a document lacks the shape a source needs (the route answers 404; the file is still served elsewhere).
    package struct ShapeError: Error, Sendable, Equatable, CustomStringConvertible {
        package let description: String
    }

    /// Entries in file order. Keyed sources skip elements without a string key.
    package let entries: [Entry]
    /// An array source's array; nil for the top-level object's members.
    package var container: Range<Int>? = nil

    /// Lays out a validated document. With duplicate names the last one wins on the way down (as Python's `json.loads`),
    /// and the first `field` member of an entry is cut.
    package static func build(
        _ bytes: UnsafeRawBufferPointer,
        source: EntrySource,
        cutting fields: Set<String> = []
    ) throws -> EntryLayout {
        switch source {
        case .members:
            guard isObject(bytes, 0 ..< bytes.count) else { throw ShapeError(description: "the file's top level is not an object") }
            let members = try JSONScanner.objectMembers(ofDocument: bytes)
            return EntryLayout(entries: try members.map { member in
                Entry(key: member.key, range: member.valueRange, cuts: try cuts(bytes, member.valueRange, fields))
            })
        case .array(let path, let key):
            let array = try arrayRange(bytes, path: path)
            var entries = [Entry]()
            for element in try JSONScanner.arrayElements(in: bytes, range: array) where bytes[element.lowerBound] == JSONByte.openBrace {
                var name: String?
                if let key {
                    let members = try JSONScanner.objectMembers(in: bytes, range: element)
                    guard let member = members.last(where: { $0.key == key }),
                        let decoded = JSONScanner.decodeString(in: bytes, range: member.valueRange)
                    else { continue }
                    name = decoded
                }
                entries.append(Entry(key: name, range: element, cuts: try cuts(bytes, element, fields)))
            }
            return EntryLayout(entries: entries, container: array)
        case .object(let path):
            let object = try valueRange(bytes, path: path)
            guard isObject(bytes, object) else { throw ShapeError(description: "\"\(path)\" is not an object") }
            let members = try JSONScanner.objectMembers(in: bytes, range: object)
            return EntryLayout(entries: try members.map { member in
                Entry(key: member.key, range: member.valueRange, cuts: try cuts(bytes, member.valueRange, fields))
            })
        }
    }

    /// The value range of the array at `path` (dotted member names from the top; "" = the document itself).
    private static func arrayRange(_ bytes: UnsafeRawBufferPointer, path: String) throws -> Range<Int> {
        let range = try valueRange(bytes, path: path)
        guard bytes[range.lowerBound] == JSONByte.openBracket else {
            throw ShapeError(description: path.isEmpty ? "the file's top level is not an array" : "\"\(path)\" is not an array")
        }
        return range
    }

    /// The value range at `path` (dotted member names from the top; "" = the document itself).
    private static func valueRange(_ bytes: UnsafeRawBufferPointer, path: String) throws -> Range<Int> {
        var range = try documentRange(bytes)
        var walked = [Substring]()
        for name in path.split(separator: ".") {
            guard isObject(bytes, range) else {
                throw ShapeError(description: walked.isEmpty ? "the file's top level is not an object" : "\"\(walked.joined(separator: "."))\" is not an object")
            }
            walked.append(name)
            let members = try JSONScanner.objectMembers(in: bytes, range: range)
            guard let member = members.last(where: { $0.key == name }) else {
                throw ShapeError(description: "the file has no \"\(walked.joined(separator: "."))\"")
            }
            range = member.valueRange
        }
        return range
    }

    /// The document's value without surrounding whitespace.
    private static func documentRange(_ bytes: UnsafeRawBufferPointer) throws -> Range<Int> {
        var start = 0
        var end = bytes.count
        while start < end, JSONByte.isWhitespace(bytes[start]) { start += 1 }
        while end > start, JSONByte.isWhitespace(bytes[end - 1]) { end -= 1 }
        guard start < end else { throw ShapeError(description: "the file is empty") }
        return start ..< end
    }

    private static func isObject(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        var start = range.lowerBound
        while start < range.upperBound, JSONByte.isWhitespace(bytes[start]) { start += 1 }
        return start < range.upperBound && bytes[start] == JSONByte.openBrace
    }

    private static func cuts(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, _ fields: Set<String>) throws -> [String: Range<Int>] {
        guard !fields.isEmpty, bytes[range.lowerBound] == JSONByte.openBrace else { return [:] }
        let members = try JSONScanner.objectMembers(in: bytes, range: range)
        var cuts = [String: Range<Int>]()
        for field in fields {
            if let index = members.firstIndex(where: { $0.key == field }) { cuts[field] = memberCut(members, index: index) }
        }
        return cuts
    }

    /// The member plus exactly one adjacent comma, so the rest stays a well-formed object.
    static func memberCut(_ members: [JSONMember], index: Int) -> Range<Int> {
        let member = members[index]
        if members.count == 1 { return member.keyRange.lowerBound ..< member.valueRange.upperBound }
        if index > 0 { return members[index - 1].valueRange.upperBound ..< member.valueRange.upperBound }
        return member.keyRange.lowerBound ..< members[1].keyRange.lowerBound
    }
}
