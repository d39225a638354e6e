import Yams

/// Typed reads of a route file's YAML nodes, each failure phrased for the person who wrote the file.
struct RouteFileNode {
    let node: Node
    /// Where this node is, for messages: `route /weights`, `files.positions`, ...
    let context: String

    func fail(_ problem: String) -> RouteFileError { RouteFileError("\(context): \(problem)") }

    /// The mapping's pairs, refusing keys outside `allowed`.
    func mapping(allowed: [String]) throws(RouteFileError) -> [String: RouteFileNode] {
        guard let mapping = node.mapping else { throw fail("expected a mapping") }
        var result = [String: RouteFileNode]()
        for (key, value) in mapping {
            guard let name = key.scalar?.string else { throw fail("keys must be plain names") }
            guard allowed.contains(name) else {
                throw fail("unknown key \"\(name)\" (allowed: \(allowed.joined(separator: ", ")))")
            }
            guard result[name] == nil else { throw fail("key \"\(name)\" is given twice") }
            result[name] = RouteFileNode(node: value, context: context)
        }
        return result
    }

    /// The mapping's pairs in order, keys free (value maps such as `files:`).
    func orderedPairs() throws(RouteFileError) -> [(String, RouteFileNode)] {
        guard let mapping = node.mapping else { throw fail("expected a mapping") }
        var result = [(String, RouteFileNode)]()
        for (key, value) in mapping {
            guard let name = key.scalar?.string else { throw fail("keys must be plain names") }
            guard !result.contains(where: { $0.0 == name }) else { throw fail("\"\(name)\" is given twice") }
            result.append((name, RouteFileNode(node: value, context: "\(context).\(name)")))
        }
        return result
    }

    func string(_ what: String) throws(RouteFileError) -> String {
        guard let scalar = node.scalar else { throw fail("\(what) must be a single value") }
        return scalar.string
    }

    /// One string or a list of them.
    func strings(_ what: String) throws(RouteFileError) -> [String] {
        if let sequence = node.sequence {
            var values = [String]()
            for element in sequence {
                guard let scalar = element.scalar else { throw fail("\(what) must be a name or a list of names") }
                values.append(scalar.string)
            }
            guard !values.isEmpty else { throw fail("\(what) must not be an empty list") }
            return values
        }
        return [try string(what)]
    }

    func int(_ what: String) throws(RouteFileError) -> Int {
        guard let value = node.int, value >= 0 else { throw fail("\(what) must be a whole number of at least 0") }
        return value
    }

    func bool(_ what: String) throws(RouteFileError) -> Bool {
        guard let value = node.bool else { throw fail("\(what) must be true or false") }
        return value
    }

    func sequence(_ what: String) throws(RouteFileError) -> [RouteFileNode] {
        guard let sequence = node.sequence else { throw fail("\(what) must be a list") }
        return sequence.enumerated().map { RouteFileNode(node: $0.element, context: context) }
    }

    /// Any YAML value as JSON (documentation and schemas).
    func jsonTree() -> JSONTree { JSONTree(yaml: node) }
}
