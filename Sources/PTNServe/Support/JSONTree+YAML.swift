import Yams

extension JSONTree {
    /// A YAML value as JSON: plain scalars keep their YAML type (null, bool, integer, number), quoted ones are strings.
    init(yaml node: Node) {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain {
                if node.null != nil { self = .null; return }
                if let bool = node.bool { self = .bool(bool); return }
                if let int = node.int { self = .integer(int); return }
                if let double = node.float { self = .number(double); return }
            }
            self = .string(scalar.string)
        case .sequence(let sequence):
            self = .array(sequence.map { JSONTree(yaml: $0) })
        case .mapping(let mapping):
            self = .object(mapping.map { ($0.key.scalar?.string ?? "", JSONTree(yaml: $0.value)) })
        case .alias:
            self = .null
        }
    }
}
