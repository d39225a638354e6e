// A route's `doc`: what the OpenAPI document and the explorer say of it.
extension RouteFileBuilder {
    static func doc(_ node: RouteFileNode) throws(RouteFileError) -> RouteDoc {
        let fields = try node.mapping(allowed: ["summary", "description", "response", "schema", "parameters"])
        var parameters = [String: JSONTree]()
        for (name, value) in try fields["parameters"]?.orderedPairs() ?? [] { parameters[name] = value.jsonTree() }
        return RouteDoc(
            summary: try fields["summary"]?.string("doc.summary"),
            description: try fields["description"]?.string("doc.description"),
            response: try fields["response"]?.string("doc.response"),
            schema: fields["schema"]?.jsonTree(),
            parameters: parameters
        )
    }
}
