import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import PTNServe

@Suite("Unknown routes, methods and HEAD")
struct RoutingErrorsTests {
    typealias Key = TestDataRoot.Key

    @Test("unknown paths are 404 Resource not found, with or without a key", arguments: [
        "/", "/miner-positions/a/b", "/validation/outputs/output.json", "/../ptn_api/api_keys.json", "/statisticsX",
    ])
    func unknownPath(_ uri: String) async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            for headers in [HTTPFields(), bearer(Key.tier100)] {
                let response = try await client.execute(uri: uri, method: .get, headers: headers)
                #expect(response.status == .notFound)
                #expect(response.errorMessage == "Resource not found")
                #expect(response.headers[.contentType] == "application/json")
            }
        }
    }

    @Test("other methods on a data route are 405", arguments: [HTTPRequest.Method.post, .put, .delete, .patch, .trace, .init("QUERY")!])
    func wrongMethod(_ method: HTTPRequest.Method) async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let response = try await client.execute(uri: "/miner-positions", method: method, headers: bearer(Key.tier100))
            #expect(response.status == .methodNotAllowed)
            #expect(response.errorMessage == "Method not allowed")
            #expect(response.headers[.allow] == "GET, HEAD")
        }
    }

    @Test("HEAD answers like GET without a body")
    func head() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let response = try await client.execute(uri: "/miner-positions/\(TestDataRoot.hotkeyA)", method: .head, headers: bearer(Key.tier100))
            #expect(response.status == .ok)
            #expect(response.body.readableBytes == 0)
            let denied = try await client.execute(uri: "/miner-positions", method: .head)
            #expect(denied.status == .unauthorized)
        }
    }

    @Test("no response names a file system path")
    func noPathsInResponses() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try root.remove("validation/eliminations.json")
        try await makeApplication(root).test(.router) { client in
            for uri in ["/eliminations", "/miner-copying", "/nothing", "/statistics/x"] {
                let response = try await client.execute(uri: uri, method: .get, headers: bearer(Key.tier100))
                #expect(!response.text.contains(root.url.path))
                #expect(!response.text.contains("validation/"))
            }
        }
    }
}
