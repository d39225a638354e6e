import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import PTNServe

/// The made-up subnet of `examples/forecast-subnet`, served through the router: every kind of route a route file declares.
@Suite("Route tables: another subnet's files, by declaration")
struct RouteTableRoutesTests {
    static func app(_ root: TestDataRoot, observability: Observability = Observability()) async throws -> some ApplicationProtocol {
        try await buildApplication(ExampleSubnet.configuration(root), logger: quietLogger, observability: observability)
    }

    static let gold = bearer(ExampleSubnet.goldKey)
    static let free = bearer(ExampleSubnet.freeKey)

    @Test("whole files, members, key lists and array elements by field answer what the files hold")
    func everyKindOfRoute() async throws {
        let root = try ExampleSubnet.makeRoot()
        defer { root.delete() }
        let weightsText = try String(contentsOf: root.path("state/weights.json"), encoding: .utf8)
        try await Self.app(root).test(.router) { client in
            let weights = try parseJSON(weightsText)
            let whole = try await client.execute(uri: "/weights", method: .get, headers: Self.free)
            #expect(whole.status == .ok)
            #expect(sameJSON(try whole.json(), weights))
            let member = try await client.execute(uri: "/weights/3", method: .get, headers: Self.free)
            #expect(sameJSON(try member.json(), try #require((weights as? [String: Any])?["3"])))
            let unknown = try await client.execute(uri: "/weights/99", method: .get, headers: Self.free)
            #expect(unknown.status == .notFound && unknown.errorMessage == "UID 99 not found")
            let uids = try await client.execute(uri: "/uids", method: .get, headers: Self.free)
            #expect(uids.text == #"["0", "3", "7"]"#)
            let miner = try await client.execute(uri: "/miners/\(ExampleSubnet.alpha)", method: .get, headers: Self.gold)
            let object = try #require(try miner.json() as? [String: Any])
            #expect(object["uid"] as? Int == 0 && object["history"] != nil)
            let noHistory = try await client.execute(uri: "/miners/\(ExampleSubnet.alpha)?history=FALSE", method: .get, headers: Self.gold)
            let trimmed = try #require(try noHistory.json() as? [String: Any])
            #expect(trimmed["history"] == nil && trimmed["score"] as? Double == 0.912)
            let all = try await client.execute(uri: "/miners?history=false", method: .get, headers: Self.gold)
            #expect(!all.text.contains("history") && all.text.contains("\"netuid\": 42"))
            let missing = try await client.execute(uri: "/miners/5Nobody", method: .get, headers: Self.gold)
            #expect(missing.errorMessage == "Miner 5Nobody not found")
        }
    }

    @Test("a tier-gated route refuses lower keys with 403 and the tier it needs; no key is 401")
    func tierGate() async throws {
        let root = try ExampleSubnet.makeRoot()
        defer { root.delete() }
        try await Self.app(root).test(.router) { client in
            for uri in ["/miners", "/miners/\(ExampleSubnet.alpha)"] {
                let low = try await client.execute(uri: uri, method: .get, headers: Self.free)
                #expect(low.status == .forbidden && low.errorMessage == "Your API key does not have access to tier 50 data")
                let none = try await client.execute(uri: uri, method: .get)
                #expect(none.status == .unauthorized)
            }
        }
    }

    @Test("alternates: the newest existing file is served; a gzip file is recognised by its content, whatever its name")
    func alternatesAndGzipByContent() async throws {
        let root = try ExampleSubnet.makeRoot()
        defer { root.delete() }
        try await Self.app(root).test(.router) { client in
            let scores = try await client.execute(uri: "/scores", method: .get, headers: Self.free)
            #expect(scores.text.contains("\"epoch\": 812"))
        }
        try root.write("state/scores.json.gz", try TestDataRoot.gzip(#"{"epoch": 813, "scores": {}}"#))
        try root.write("state/weights.json", try TestDataRoot.gzip(#"{"0": {"weight": 1.0}}"#))
        try await Self.app(root).test(.router) { client in
            #expect(try await client.execute(uri: "/scores", method: .get, headers: Self.free).text == #"{"epoch": 813, "scores": {}}"#)
            let member = try await client.execute(uri: "/weights/0", method: .get, headers: Self.free)
            #expect(member.text == #"{"weight": 1.0}"#)
        }
    }

    @Test("a file of the wrong shape degrades only the routes that need the shape, and /ready names them")
    func wrongShape() async throws {
        let root = try ExampleSubnet.makeRoot()
        defer { root.delete() }
        try root.write("state/weights.json", #"[{"uid": 0}]"#)
        try await Self.app(root).test(.router) { client in
            #expect(try await client.execute(uri: "/weights", method: .get, headers: Self.free).text == #"[{"uid": 0}]"#)
            let member = try await client.execute(uri: "/weights/0", method: .get, headers: Self.free)
            #expect(member.status == .notFound && member.errorMessage == "Weights not found")
            #expect(try await client.execute(uri: "/uids", method: .get, headers: Self.free).status == .notFound)
            #expect(try await client.execute(uri: "/scores", method: .get, headers: Self.free).status == .ok)
            let ready = try await client.execute(uri: "/ready", method: .get)
            let report = try #require(try ready.json() as? [String: Any])
            #expect(report["profile"] as? String == "forecast-subnet")
            let files = try #require(report["files"] as? [String: [String: Any]])
            let problems = try #require(files["state-weights"]?["route_errors"] as? [String: String])
            #expect(problems == ["/weights/{uid}": "the file's top level is not an object", "/uids": "the file's top level is not an object"])
        }
    }

    @Test("wrong methods on table routes get 405, unknown paths 404, HEAD answers like GET")
    func methods() async throws {
        let root = try ExampleSubnet.makeRoot()
        defer { root.delete() }
        try await Self.app(root).test(.router) { client in
            for uri in ["/weights", "/weights/3", "/uids", "/miners/x", "/scores"] {
                let post = try await client.execute(uri: uri, method: .post, headers: Self.free)
                #expect(post.status == .methodNotAllowed && post.headers[.allow] == "GET, HEAD", "\(uri)")
            }
            #expect(try await client.execute(uri: "/miner-positions", method: .get, headers: Self.gold).status == .notFound)
            let head = try await client.execute(uri: "/weights", method: .head, headers: Self.free)
            #expect(head.status == .ok && head.body.readableBytes == 0 && head.headers[.eTag] != nil)
        }
    }

    @Test("ETags, 304 and ranges work on a declared route as on PTN's")
    func conditionalAndRange() async throws {
        let root = try ExampleSubnet.makeRoot()
        defer { root.delete() }
        try await Self.app(root).test(.router) { client in
            let first = try await client.execute(uri: "/weights", method: .get, headers: Self.free)
            let etag = try #require(first.headers[.eTag])
            var conditional = Self.free
            conditional[.ifNoneMatch] = etag
            #expect(try await client.execute(uri: "/weights", method: .get, headers: conditional).status == .notModified)
            var range = Self.free
            range[.range] = "bytes=0-4"
            let partial = try await client.execute(uri: "/weights", method: .get, headers: range)
            #expect(partial.status == .partialContent && partial.text == "{\"0\":")
        }
    }

    @Test("the OpenAPI document and the metrics labels come from the table")
    func derived() async throws {
        let root = try ExampleSubnet.makeRoot()
        defer { root.delete() }
        let observability = Observability()
        try await Self.app(root, observability: observability).test(.router) { client in
            let document = try #require(try await client.execute(uri: "/openapi.json", method: .get).json() as? [String: Any])
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            #expect(Set(paths.keys) == ["/weights", "/weights/{uid}", "/uids", "/miners", "/miners/{hotkey}", "/scores", "/health", "/ready", "/openapi.json", "/changes", "/events", "/usage"])
            #expect((document["info"] as? [String: Any])?["title"] as? String == "ptn-serve: forecast-subnet")
            let miners = try #require(paths["/miners"]?["get"] as? [String: Any])
            #expect((miners["responses"] as? [String: Any])?["403"] != nil)
            #expect(((miners["parameters"] as? [[String: Any]])?.first)?["name"] as? String == "history")
            _ = try await client.execute(uri: "/weights/3", method: .get, headers: Self.free)
        }
        #expect(observability.metrics.exposition().contains(#"route="/weights/{uid}""#))
    }
}
