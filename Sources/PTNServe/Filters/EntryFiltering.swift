import NIOCore

/// Builds a filtered entry from its bytes and its parts computed at load: item filters keep elements of the declared
/// array (in file order, copied as they are), `members` keeps only the named members. Ranges are selected and copied;
/// nothing is scanned or decoded.
enum EntryFiltering {
    /// `entry` narrowed by `query`, without its first `omitting` member (a route's strip); nil when the entry has no
    /// parts (it is not a JSON object).
    static func apply(
        _ query: EntryQuery, items path: String?, to entry: ByteBuffer, parts: EntryParts?, omitting: String? = nil
    ) -> ByteBuffer? {
        guard let parts else { return nil }
        var keep: Set<String>?
        var itemTerms = [EntryQuery.Term]()
        for term in query.terms {
            if case .members = term.parameter.kind, case .names(let names) = term.value { keep = Set(names) } else { itemTerms.append(term) }
        }
        let items = itemTerms.isEmpty ? nil : path.flatMap { parts.items[$0] }
        let kept = items.map { select($0, terms: itemTerms) } ?? []
        let omitted = omitting.flatMap { field in parts.members.firstIndex { $0.key == field } }
        return entry.withUnsafeReadableBytes { raw in
            var out = ByteBufferAllocator().buffer(capacity: min(raw.count, 64 * 1024))
            out.writeString("{")
            var first = true
            for (index, member) in parts.members.enumerated() where index != omitted && keep?.contains(member.key) ?? true {
                if !first { out.writeString(", ") }
                first = false
                out.writeBytes(UnsafeRawBufferPointer(rebasing: raw[member.keyRange]))
                out.writeString(": ")
                let value = member.valueRange
                guard let items, value.contains(items.array.lowerBound) else {
                    out.writeBytes(UnsafeRawBufferPointer(rebasing: raw[value]))
                    continue
                }
                // The filtered array, inside this member's value (the member itself, or deeper for a dotted path).
                out.writeBytes(UnsafeRawBufferPointer(rebasing: raw[value.lowerBound ..< items.array.lowerBound]))
                out.writeJSONArray(kept) { $0.writeBytes(UnsafeRawBufferPointer(rebasing: raw[items.ranges[$1]])) }
                out.writeBytes(UnsafeRawBufferPointer(rebasing: raw[items.array.upperBound ..< value.upperBound]))
            }
            out.writeString("}")
            return out
        }
    }

    /// The indexes of the items every term keeps; a `latest` term then keeps the N with the latest times, in file order.
    private static func select(_ items: EntryParts.Items, terms: [EntryQuery.Term]) -> [Int] {
        var kept = items.ranges.indices.filter { index in terms.allSatisfy { matches($0, index, items) } }
        for term in terms {
            guard case .latest(let paths) = term.parameter.kind, case .number(let count) = term.value, kept.count > Int(count),
                let times = items.times[.latest(paths)]
            else { continue }
            let chosen = Set(kept.sorted { times[$0] != times[$1] ? times[$0] > times[$1] : $0 < $1 }.prefix(Int(count)))
            kept = kept.filter { chosen.contains($0) }
        }
        return kept
    }

    private static func matches(_ term: EntryQuery.Term, _ index: Int, _ items: EntryParts.Items) -> Bool {
        switch (term.parameter.kind, term.value) {
        case (.equals(let field), .names(let names)):
            guard let value = items.texts[.equals(field)]?[index] else { return false }
            return names.contains(value)
        case (.choice(let field, _), .json(let json)):
            return items.texts[.json(field)]?[index] == json
        case (.since(let paths), .number(let since)):
            return (items.times[.latest(paths)]?[index] ?? .min) >= since
        default:
            return true
        }
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
