import NIOCore

/// Builds a filtered entry from its bytes: item filters keep elements of the declared array (in file order, copied as
/// they are), `members` keeps only the named members. Only the fields the filters name are read; nothing is decoded.
enum EntryFiltering {
    /// `entry` narrowed by `query`; nil when the entry is not a JSON object.
    static func apply(_ query: EntryQuery, items path: String?, to entry: ByteBuffer) -> ByteBuffer? {
        entry.withUnsafeReadableBytes { raw -> ByteBuffer? in
            let whole = 0 ..< raw.count
            guard let members = try? JSONScanner.objectMembers(in: raw, range: whole) else { return nil }
            var keep: Set<String>?
            var itemTerms = [EntryQuery.Term]()
            for term in query.terms {
                if case .members = term.parameter.kind, case .names(let names) = term.value { keep = Set(names) } else { itemTerms.append(term) }
            }
            var array: Range<Int>?
            var kept = [Range<Int>]()
            if !itemTerms.isEmpty, let path, let found = JSONPath.values(raw, in: whole, path: path).first,
                let elements = JSONPath.elements(raw, in: found)
            {
                array = found
                kept = select(elements, terms: itemTerms, raw)
            }
            var out = ByteBufferAllocator().buffer(capacity: min(raw.count, 64 * 1024))
            out.writeString("{")
            var first = true
            for member in members where keep?.contains(member.key) ?? true {
                if !first { out.writeString(", ") }
                first = false
                out.writeBytes(UnsafeRawBufferPointer(rebasing: raw[member.keyRange]))
                out.writeString(": ")
                let value = member.valueRange
                guard let array, value.contains(array.lowerBound) else {
                    out.writeBytes(UnsafeRawBufferPointer(rebasing: raw[value]))
                    continue
                }
                // The filtered array, inside this member's value (the member itself, or deeper for a dotted path).
                out.writeBytes(UnsafeRawBufferPointer(rebasing: raw[value.lowerBound ..< array.lowerBound]))
                out.writeJSONArray(kept) { $0.writeBytes(UnsafeRawBufferPointer(rebasing: raw[$1])) }
                out.writeBytes(UnsafeRawBufferPointer(rebasing: raw[array.upperBound ..< value.upperBound]))
            }
            out.writeString("}")
            return out
        }
    }

    /// The elements every term keeps; a `latest` term then keeps the N with the latest times, in file order.
    private static func select(_ elements: [Range<Int>], terms: [EntryQuery.Term], _ raw: UnsafeRawBufferPointer) -> [Range<Int>] {
        var kept = elements.filter { element in terms.allSatisfy { matches($0, element, raw) } }
        for term in terms {
            guard case .latest(let times) = term.parameter.kind, case .number(let count) = term.value, kept.count > Int(count) else { continue }
            let ranked = kept.enumerated().map { (index: $0.offset, time: latestTime($0.element, times, raw)) }
                .sorted { $0.time != $1.time ? $0.time > $1.time : $0.index < $1.index }
            let chosen = Set(ranked.prefix(Int(count)).map(\.index))
            kept = kept.enumerated().filter { chosen.contains($0.offset) }.map(\.element)
        }
        return kept
    }

    private static func matches(_ term: EntryQuery.Term, _ element: Range<Int>, _ raw: UnsafeRawBufferPointer) -> Bool {
        switch (term.parameter.kind, term.value) {
        case (.equals(let field), .names(let names)):
            guard let value = JSONPath.firstString(raw, in: element, path: field)
                ?? JSONPath.values(raw, in: element, path: field).first.map({ JSONPath.text(raw, $0) })
            else { return false }
            return names.contains(value)
        case (.choice(let field, _), .json(let json)):
            return JSONPath.values(raw, in: element, path: field).first.map { JSONPath.text(raw, $0) } == json
        case (.since(let times), .number(let since)):
            return latestTime(element, times, raw) >= since
        default:
            return true
        }
    }

    /// The latest of the item's times (numbers at the paths; others, such as a null `close_ms`, ignored).
    private static func latestTime(_ element: Range<Int>, _ times: [String], _ raw: UnsafeRawBufferPointer) -> Int64 {
        var latest = Int64.min
        for path in times {
            for range in JSONPath.values(raw, in: element, path: path) {
                if let number = Double(JSONPath.text(raw, range)), number.isFinite, abs(number) < 9e18 { latest = max(latest, Int64(number)) }
            }
        }
        return latest
    }
}

extension ByteBuffer {
    /// `[a, b, ...]`, each element written by `write`, separated as PTN's files separate them.
    mutating func writeJSONArray<Elements: Collection>(_ elements: Elements, _ write: (inout ByteBuffer, Elements.Element) -> Void) {
        writeString("[")
        for (index, element) in elements.enumerated() {
            if index > 0 { writeString(", ") }
            write(&self, element)
        }
        writeString("]")
    }
}
