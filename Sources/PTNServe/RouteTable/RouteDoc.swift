/// What the OpenAPI document says about a route beyond what its declaration implies.
public struct RouteDoc: Sendable, Hashable {
    /// One-line summary of the operation.
    public var summary: String?
    /// Longer text; the key and method notes are appended.
    public var description: String?
    /// Description of the 200 answer.
    public var response: String?
    /// JSON Schema of the 200 body.
    public var schema: JSONTree?
    /// Per parameter (path or query): `description`, `example`, `schema`, overriding the generated ones.
    public var parameters: [String: JSONTree]

    public init(summary: String? = nil, description: String? = nil, response: String? = nil, schema: JSONTree? = nil, parameters: [String: JSONTree] = [:]) {
        self.summary = summary
        self.description = description
        self.response = response
        self.schema = schema
        self.parameters = parameters
    }
}
