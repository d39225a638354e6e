/// What the OpenAPI document says about a route beyond what its declaration implies.
package struct RouteDoc: Sendable, Hashable {
    /// One-line summary of the operation.
    package var summary: String?
    /// Longer text; the key and method notes are appended.
    package var description: String?
    /// Description of the 200 answer.
    package var response: String?
    /// JSON Schema of the 200 body.
    package var schema: JSONTree?
    /// Per parameter (path or query): `description`, `example`, `schema`, overriding the generated ones.
    package var parameters: [String: JSONTree]

    package init(summary: String? = nil, description: String? = nil, response: String? = nil, schema: JSONTree? = nil, parameters: [String: JSONTree] = [:]) {
        self.summary = summary
        self.description = description
        self.response = response
        self.schema = schema
        self.parameters = parameters
    }
}
