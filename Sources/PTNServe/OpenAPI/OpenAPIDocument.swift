import Foundation
import NIOCore
import Yams

/// The OpenAPI 3.1 document of the public port, generated from the route table: a path per route, with its
/// parameters, tiers and answers as the route declares them, over the server's own parts (`openapi-base.yaml`).
struct OpenAPIDocument {
    let table: RouteTable

    /// The server's own parts, read from the bundle once.
    static let base: JSONTree = {
        guard let url = Bundle.module.url(forResource: "openapi-base", withExtension: "yaml"),
            let data = try? Data(contentsOf: url),
            let node = try? Yams.compose(yaml: String(decoding: data, as: UTF8.self))
        else { return .object([]) }
        return JSONTree(yaml: node)
    }()

    /// How keys are presented, appended to every data route's description.
    static let keyNote = """
        Needs an API key: `Authorization: Bearer <key>` or `X-API-Key: <key>`. The original Flask server's \
        clients may instead send a JSON body `{"api_key": "<key>"}` on the GET (not expressible in OpenAPI; a \
        body that is not a JSON object: 400; over 64 KiB: 413), and with `--allow-query-key` a `?api_key=<key>` \
        query parameter. HEAD answers like GET without a body; POST, PUT, PATCH, DELETE and OPTIONS answer 405 \
        with `Allow: GET, HEAD`.
        """

    /// The document as a tree.
    var tree: JSONTree {
        var document = Self.base
        let info = (document["info"] ?? .object([]))
            .setting("title", .string("ptn-serve: \(table.profile)"))
            .setting("description", .string([table.description, document["info"]?["description"].flatMap(Self.text)].compactMap { $0 }.joined(separator: " ")))
        document = document.setting("info", info)
        var paths = [(String, JSONTree)]()
        for route in table.routes { paths.append((route.path, pathItem(route))) }
        if case .object(let own)? = document["paths"] { paths += own }
        let named = document.setting("paths", .object(paths))
        return Self.naming(keys: table.streamKeyParameter, facet: table.streamFacet, in: named)
    }

    /// The base's stream filters and event member named as the table declares them: the entry keys' list (PTN:
    /// `hotkeys`), and the facet's (PTN: the filter `trade_pairs`, the member `trade_pair`), left out when it declares
    /// none.
    private static func naming(keys: String, facet: FeedFacet?, in tree: JSONTree) -> JSONTree {
        switch tree {
        case .array(let elements):
            return .array(elements.compactMap { element in
                if facet == nil, case .string("#/components/parameters/Facets")? = element["$ref"] { return nil }
                return naming(keys: keys, facet: facet, in: element)
            })
        case .object(let members):
            return .object(members.compactMap { name, value in
                switch name {
                case "Keys" where value["in"] != nil:
                    return (name, value.setting("name", .string(keys)))
                case "Facets":
                    guard let facet else { return nil }
                    let description = "Comma-separated values of the items' `\(facet.name)`; only item events of these (`\(facet.name)=` works too)."
                    return (name, value.setting("name", .string(facet.parameters[0])).setting("description", .string(description)))
                case "facet" where value["type"] != nil:
                    guard let facet else { return nil }
                    return (facet.name, value.setting("description", .string("The item's `\(facet.name)`; on item_removed, the one the item had.")))
                default:
                    return (name, naming(keys: keys, facet: facet, in: value))
                }
            })
        default:
            return tree
        }
    }

    /// The document's bytes, as `/openapi.json` sends them.
    var bytes: ByteBuffer { ByteBuffer(string: tree.text) }

    private static func text(_ tree: JSONTree) -> String? {
        if case .string(let text) = tree { return text }
        return nil
    }

    private func pathItem(_ route: TableRoute) -> JSONTree {
        let id = Self.operationID(route.path)
        let parameters = self.parameters(route)
        let statuses = self.statuses(route)
        let get: JSONTree = [
            "operationId": .string(id),
            "summary": .string(route.doc.summary ?? "GET \(route.path)"),
            "description": .string((route.doc.description ?? Self.generatedDescription(route)) + "\n\n" + Self.keyNote),
            "tags": ["data"],
            "parameters": .array(parameters),
            "responses": .object(statuses.map { status -> (String, JSONTree) in
                if status != "200" { return (status, .object([("$ref", .string("#/components/responses/\(Self.responseNames[status]!)"))])) }
                return ("200", [
                    "description": .string(route.doc.response ?? Self.generatedResponse(route)),
                    "headers": [
                        "X-Request-Id": ["$ref": "#/components/headers/RequestId"],
                        "Content-Encoding": ["$ref": "#/components/headers/ContentEncoding"],
                        "Vary": ["$ref": "#/components/headers/Vary"],
                    ],
                    "content": ["application/json": ["schema": route.doc.schema ?? Self.generatedSchema(route)]],
                ])
            }),
        ]
        let head: JSONTree = [
            "operationId": .string(id + "Head"),
            "summary": .string((route.doc.summary ?? "GET \(route.path)") + " (headers only)"),
            "description": "As GET, without a body.",
            "tags": ["data"],
            "parameters": .array(parameters),
            "responses": .object(statuses.map { status -> (String, JSONTree) in
                let description = status == "200" ? (route.doc.response ?? Self.generatedResponse(route)) : "As for GET, without a body."
                return (status, ["description": .string(description), "headers": ["X-Request-Id": ["$ref": "#/components/headers/RequestId"]]])
            }),
        ]
        return ["get": get, "head": head]
    }

    /// The answers a route can give; 403 only where a tier can refuse the key.
    private func statuses(_ route: TableRoute) -> [String] {
        let tiered = route.tier > 0 || route.byQuery.map { $0.values.contains { $0.tier > 0 } } == true || !route.byKeyTier.isEmpty
        return ["200"] + (tiered ? ["403"] : []) + ["404", "400", "401", "413"]
    }

    static let responseNames = ["400": "BadRequest", "401": "Unauthorized", "403": "Forbidden", "404": "NotFound", "413": "PayloadTooLarge"]

    private func parameters(_ route: TableRoute) -> [JSONTree] {
        var parameters = [JSONTree]()
        if let name = route.parameter {
            let unknown = route.messages.unknownKey.replacingOccurrences(of: "{\(name)}", with: "<\(name)>")
            parameters.append(parameter(route, name, in: "path", generated: [
                "description": .string("Names the entry. Unknown values: 404 `\(unknown)`."),
                "schema": ["type": "string", "minLength": 1],
            ]))
        }
        if let byQuery = route.byQuery {
            let values = byQuery.values.map(\.value)
            let numbers = values.compactMap { Int($0) }
            let schema: JSONTree = numbers.count == values.count
                ? ["type": "integer", "enum": .array(numbers.map { .integer($0) })]
                : ["type": "string", "enum": .array(values.map { .string($0) })]
            parameters.append(parameter(route, byQuery.parameter, in: "query", generated: [
                "description": .string("Picks another file: one of \(values.joined(separator: ", ")). Other values: 400."),
                "schema": schema,
            ]))
        }
        if let strip = route.strip {
            parameters.append(parameter(route, strip.parameter, in: "query", generated: [
                "description": .string("`\(strip.value)` (any case) drops each entry's `\(strip.field)` member; any other value keeps it."),
                "schema": ["type": "string"],
                "example": .string(strip.value),
            ]))
        }
        for filter in route.filters?.parameters ?? [] {
            parameters.append(parameter(route, filter.name, in: "query", generated: Self.filterParameter(filter)))
        }
        return parameters
    }

    /// A filter's generated description and schema (a bad value: 400).
    private static func filterParameter(_ filter: RouteFilters.Parameter) -> JSONTree {
        let list: JSONTree = ["type": "string", "pattern": "^[^,]+(,[^,]+)*$"]
        switch filter.kind {
        case .equals(let field):
            return ["description": .string("Only items whose `\(field)` (its first element, if a list) is one of these, comma-separated."), "schema": list]
        case .choice(let field, let values):
            return [
                "description": .string("Only items whose `\(field)` is: " + values.sorted { $0.key < $1.key }.map { "`\($0.key)` → \($0.value)" }.joined(separator: ", ") + "."),
                "schema": ["type": "string", "enum": .array(values.keys.sorted().map { .string($0) })],
            ]
        case .since(let times):
            return [
                "description": .string("Only items with a time at or after this (ms since 1970), of: " + times.map { "`\($0)`" }.joined(separator: ", ") + "."),
                "schema": ["type": "integer", "minimum": 0, "format": "int64"],
            ]
        case .latest(let times):
            return [
                "description": .string("Only the N items with the latest time (of " + times.map { "`\($0)`" }.joined(separator: ", ") + "), in file order."),
                "schema": ["type": "integer", "minimum": 1, "maximum": .integer(EntryQuery.maxLatest)],
            ]
        case .members:
            return ["description": "Only these members of the entry, comma-separated (unknown names are left out).", "schema": list]
        }
    }

    /// A parameter object: the route's documentation where it has some, the generated text elsewhere.
    private func parameter(_ route: TableRoute, _ name: String, in location: String, generated: JSONTree) -> JSONTree {
        var parameter: JSONTree = ["name": .string(name), "in": .string(location), "required": .bool(location == "path")]
        for key in ["description", "schema", "example"] {
            if let value = route.doc.parameters[name]?[key] ?? generated[key] { parameter = parameter.setting(key, value) }
        }
        return parameter
    }

    private static func generatedDescription(_ route: TableRoute) -> String {
        switch route.select {
        case .whole: "The whole file."
        case .member: "The member of the file's top-level object named by `{\(route.parameter ?? "")}`."
        case .keys: "The names of the file's top-level members, in file order."
        case .element(.object(let path)): "The member of object \"\(path)\" named by `{\(route.parameter ?? "")}`."
        case .element(let source): "The element of \(source) equal to `{\(route.parameter ?? "")}`."
        }
    }

    private static func generatedResponse(_ route: TableRoute) -> String {
        switch route.select {
        case .whole: "The file's JSON document."
        case .member, .element: "The entry's JSON value."
        case .keys: "A JSON array of names."
        }
    }

    private static func generatedSchema(_ route: TableRoute) -> JSONTree {
        if case .keys = route.select { return ["type": "array", "items": ["type": "string"]] }
        return .object([])
    }

    /// `getMinerPositionsByHotkey` for `/miner-positions/{hotkey}`.
    static func operationID(_ path: String) -> String {
        var id = "get"
        for segment in path.split(separator: "/") {
            var words = segment.split { !$0.isLetter && !$0.isNumber }.map(String.init)
            if segment.hasPrefix("{") { words.insert("by", at: 0) }
            id += words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        }
        return id
    }
}
