import Synchronization

/// One entry's parts as byte ranges within the entry, made once per version (on the first filtered request for it)
/// for the filters its routes declare: the top-level members (for `fields=`), and each declared nested array's items
/// with the values the filters compare. Every filtered answer is then a selection of ranges.
struct EntryParts: Sendable {
    /// The entry's top-level members, in order.
    let members: [JSONMember]
    /// Per `items:` path: the array and its items.
    let items: [String: Items]

    /// An entry's parts once made: the first filtered request makes them, later ones read them.
    final class Memo: Sendable {
        private let made = Mutex<EntryParts??>(nil)

        init() {}

        /// The parts, made by `make` the first time (two racing first requests may both make them).
        func value(_ make: () throws -> EntryParts?) rethrows -> EntryParts? {
            if let parts = made.withLock({ $0 }) { return parts }
            let parts = try make()
            made.withLock { $0 = parts }
            return parts
        }
    }

    /// A nested array's items.
    struct Items: Sendable {
        /// The array's value range.
        let array: Range<Int>
        /// Each item's range, in order.
        let ranges: [Range<Int>]
        /// Per text probe, each item's value (nil when the item lacks it).
        let texts: [PartsPlan.Probe: [String?]]
        /// Per time probe, each item's latest time (`Int64.min` when it has none).
        let times: [PartsPlan.Probe: [Int64]]
    }

    /// The parts of one entry from its own bytes; nil when it is not a JSON object.
    static func build(_ raw: UnsafeRawBufferPointer, plan: PartsPlan) -> EntryParts? {
        let whole = 0 ..< raw.count
        guard !whole.isEmpty, raw[0] == JSONByte.openBrace, let members = try? JSONScanner.objectMembers(in: raw, range: whole) else { return nil }
        var items = [String: Items]()
        for (path, probes) in plan.probes {
            guard let array = value(raw, members: members, path: path), let elements = JSONPath.elements(raw, in: array) else { continue }
            // Each item is walked once for the members the probes start from; nothing else of it is decoded.
            let fields = Array(Set(probes.flatMap(\.paths).compactMap { $0.split(separator: ".", maxSplits: 1).first }))
            let found = elements.map { (try? JSONScanner.memberValues(in: raw, range: $0, named: fields)) ?? [] }
            func values(_ item: Int, _ path: String) -> [Range<Int>] {
                let names = path.split(separator: ".", maxSplits: 1)
                guard let index = fields.firstIndex(of: names[0]), index < found[item].count, let value = found[item][index] else { return [] }
                return names.count == 2 ? JSONPath.values(raw, in: value, path: names[1]) : [value]
            }
            var texts = [PartsPlan.Probe: [String?]]()
            var times = [PartsPlan.Probe: [Int64]]()
            for probe in probes {
                switch probe {
                case .equals(let field):
                    texts[probe] = elements.indices.map { item in
                        values(item, field).first.map { found in
                            let first = JSONPath.elements(raw, in: found)?.first ?? found
                            return JSONScanner.decodeString(in: raw, range: first) ?? JSONPath.text(raw, found)
                        }
                    }
                case .json(let field):
                    texts[probe] = elements.indices.map { item in values(item, field).first.map { JSONPath.text(raw, $0) } }
                case .latest(let paths):
                    times[probe] = elements.indices.map { item in latest(raw, paths.flatMap { values(item, $0) }) }
                }
            }
            items[path] = Items(array: array, ranges: elements, texts: texts, times: times)
        }
        return EntryParts(members: members, items: items)
    }

    /// The parts of one entry kept as `body`, inflating it if it is kept only compressed.
    static func build(_ body: EntryBody, plan: PartsPlan) throws -> EntryParts? {
        try body.identityBytes().withUnsafeReadableBytes { build($0, plan: plan) }
    }

    /// The value at a dotted path, its first name found among already scanned `members`.
    private static func value(_ raw: UnsafeRawBufferPointer, members: [JSONMember], path: String) -> Range<Int>? {
        let names = path.split(separator: ".", maxSplits: 1)
        guard let first = names.first, let member = members.last(where: { $0.key == first }) else { return nil }
        guard names.count == 2 else { return member.valueRange }
        return JSONPath.values(raw, in: member.valueRange, path: names[1]).first
    }

    /// The latest number among `values` (non-numbers, such as a null `close_ms`, are ignored).
    private static func latest(_ raw: UnsafeRawBufferPointer, _ values: [Range<Int>]) -> Int64 {
        var latest = Int64.min
        for range in values {
            if let number = Double(JSONPath.text(raw, range)), number.isFinite, abs(number) < 9e18 { latest = max(latest, Int64(number)) }
        }
        return latest
    }
}
