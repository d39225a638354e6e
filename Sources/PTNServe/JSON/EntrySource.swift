/// Where a file's keyed entries come from: the top-level object's members, an array's elements, or a nested object's
/// members.
package enum EntrySource: Sendable, Hashable, CustomStringConvertible {
    /// The members of the top-level object, keyed by member name.
    case members
    /// The elements of the array at a dotted path ("" = the document), keyed by a string field (nil: not keyed).
    case array(path: String, key: String?)
    /// The members of the object at a dotted path (never "": that is `members`), keyed by member name.
    case object(path: String)

    package var description: String {
        switch self {
        case .members: "the top-level object's members"
        case .array(let path, let key):
            (path.isEmpty ? "the top-level array" : "array \"\(path)\"") + (key.map { " by field \"\($0)\"" } ?? "")
        case .object(let path): "the members of object \"\(path)\""
        }
    }
}
