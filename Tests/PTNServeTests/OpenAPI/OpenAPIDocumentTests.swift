import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import PTNServe

@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    /// Every route of the public port, as OpenAPI paths.
    static let routes = [
        "/miner-positions", "/miner-positions/{hotkey}", "/miner-hotkeys", "/statistics", "/statistics/{hotkey}", "/eliminations",
        "/miner-copying", "/validator-checkpoint", "/health", "/ready", "/openapi.json", "/changes", "/events", "/usage",
    ]

    @Test("served at /openapi.json without a key, version 3.1, describing every route with GET and HEAD")
    func served() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            let document = try #require(try response.json() as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            #expect(Set(paths.keys) == Set(Self.routes))
            for (path, operations) in paths {
                #expect(Set(operations.keys) == ["get", "head"], "\(path)")
            }
            let schemes = (document["components"] as? [String: Any])?["securitySchemes"] as? [String: Any]
            #expect(Set(schemes?.keys.map { $0 } ?? []) == ["bearerAuth", "apiKeyHeader", "apiKeyQuery"])
        }
    }

    @Test("every secured route documents 401, and every documented route exists on the server")
    func routesExist() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let bytes = OpenAPIDocument(table: ptnTable).bytes
        let document = try #require(try JSONSerialization.jsonObject(with: Data(buffer: bytes)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
        // (path, documented statuses of GET, whether GET needs a key, whether it is an endless event stream),
        // Sendable for the test client closure.
        let operations: [(String, Set<String>, Bool, Bool)] = try paths.map { path, operations in
            let get = try #require(operations["get"])
            let responses = try #require(get["responses"] as? [String: Any])
            let open = (get["security"] as? [Any])?.isEmpty == true
            let content = ((responses["200"] as? [String: Any])?["content"] as? [String: Any])?.keys.map { $0 } ?? []
            return (path, Set(responses.keys), !open, content == ["text/event-stream"])
        }
        for (path, statuses, secured, _) in operations where secured {
            #expect(statuses.contains("401"), "\(path)")
        }
        try await makeApplication(root).test(.router) { client in
            for (path, statuses, _, stream) in operations {
                let uri = path.replacingOccurrences(of: "{hotkey}", with: TestDataRoot.hotkeyA)
                // A stream never ends: its existence is checked with HEAD, which answers with the headers alone.
                let response = try await client.execute(uri: uri, method: stream ? .head : .get, headers: bearer(TestDataRoot.Key.tier100))
                #expect(statuses.contains(String(response.status.code)), "\(path) answered \(response.status.code)")
            }
        }
    }
}
