// A route's `path`: its parameter, and its shape (two routes of one shape would shadow each other).
extension RouteFileBuilder {
    /// The path's parameter name, refusing more than one, empty segments and partial-segment parameters.
    static func parameter(of path: String, context: String) throws(RouteFileError) -> String? {
        guard path.hasPrefix("/"), path.count > 1 else { throw RouteFileError("\(context): the path must start with / and name something") }
        var parameter: String?
        for segment in path.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            guard !segment.isEmpty else { throw RouteFileError("\(context): the path has an empty segment") }
            let isParameter = segment.hasPrefix("{") && segment.hasSuffix("}") && segment.count > 2
            if segment.contains("{") || segment.contains("}") || segment.contains(":") || segment.contains("*") {
                guard isParameter else { throw RouteFileError("\(context): a parameter must be a whole segment, like /things/{id}") }
            }
            guard isParameter else {
                guard segment.allSatisfy({ $0.isLetter || $0.isNumber || "-_.~".contains($0) }) else {
                    throw RouteFileError("\(context): segment \"\(segment)\" has characters a path cannot carry as is")
                }
                continue
            }
            let name = String(segment.dropFirst().dropLast())
            guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !name.first!.isNumber else {
                throw RouteFileError("\(context): parameter {\(name)} must be a name of letters, digits and _")
            }
            guard parameter == nil else { throw RouteFileError("\(context): the path has two parameters; a route takes at most one") }
            parameter = name
        }
        return parameter
    }

    /// The path with its parameter name erased: two routes of the same shape would shadow each other.
    static func shape(of path: String) -> String {
        path.split(separator: "/").map { $0.hasPrefix("{") ? "{}" : String($0) }.joined(separator: "/")
    }
}
