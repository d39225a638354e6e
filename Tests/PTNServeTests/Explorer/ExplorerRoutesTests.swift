import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import PTNServe

/// The data explorer on the public port: pages for browsers at `/` and `/ui/`, today's JSON for API clients, assets
/// without a key, and the key's tier for the page.
@Suite("Data explorer")
struct ExplorerRoutesTests {
    typealias Key = TestDataRoot.Key
    static let browser: HTTPFields = [.accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"]

    @Test("/ is the explorer for browsers and stays a JSON 404 for API clients; other methods get 405")
    func negotiation() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let page = try await client.execute(uri: "/", method: .get, headers: Self.browser)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            let policy = try #require(page.headers[.contentSecurityPolicy])
            #expect(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"))
            #expect(page.headers[.xContentTypeOptions] == "nosniff")
            #expect(!page.text.contains("<script>"), "no inline script")
            #expect(page.text.firstMatch(of: /\son[a-z]+=/) == nil, "no inline event handler")
            // Every route of the table is listed, from the table itself.
            for route in ptnTable.routes { #expect(page.text.contains("data-path=\"\(route.path)\""), "\(route.path)") }
            #expect(page.text.contains("href=\"/ui/leaderboard\""))
            // The buyer's own usage, filled from GET /usage once a key is accepted.
            #expect(page.text.contains(#"<section id="usage" aria-labelledby="usage-title" hidden>"#))

            for headers: HTTPFields in [[:], [.accept: "*/*"], [.accept: "application/json"], [.accept: "text/html;q=0"]] {
                let api = try await client.execute(uri: "/", method: .get, headers: headers)
                #expect(api.status == .notFound)
                #expect(api.text == #"{"error": "Resource not found"}"#)
            }
            let post = try await client.execute(uri: "/", method: .post, headers: Self.browser)
            #expect(post.status == .methodNotAllowed)
            for path in ["/ui/browse?route=/statistics", "/ui/leaderboard", "/ui/miner?hotkey=x", "/ui/api"] {
                let response = try await client.execute(uri: path, method: .get, headers: Self.browser)
                #expect(response.status == .ok, "\(path)")
                #expect(response.headers[.contentSecurityPolicy] != nil)
            }
        }
    }

    @Test("assets are served without a key, with a content ETag, a year's cache, 304 and gzip")
    func assets() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let script = try await client.execute(uri: "/ui/assets/app.js", method: .get)
            #expect(script.status == .ok)
            #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(script.headers[.cacheControl] == "public, max-age=31536000, immutable")
            for sink in [".innerHTML", ".outerHTML", "insertAdjacentHTML", "document.write", "eval("] {
                #expect(!script.text.contains(sink), "the pages build the DOM from text only: \(sink)")
            }
            let etag = try #require(script.headers[.eTag])
            let again = try await client.execute(uri: "/ui/assets/app.js", method: .get, headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            let gzipped = try await client.execute(uri: "/ui/assets/app.css", method: .get, headers: [.acceptEncoding: "gzip"])
            #expect(gzipped.headers[.contentEncoding] == "gzip")
            #expect(String(buffer: try gzipped.decodedBody()).contains(":root"))
            let page = try await client.execute(uri: "/", method: .get, headers: Self.browser)
            #expect(page.text.contains("/ui/assets/app.js?v=\(etag.dropFirst().dropLast())"))
            #expect(try await client.execute(uri: "/ui/assets/nothing.js", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/ui/assets/..%2Fexplorer.mustache", method: .get).status == .notFound)
        }
    }

    @Test("/ui/key answers the key's tier, and 401 without a key")
    func keyTier() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let tier0 = try await client.execute(uri: "/ui/key", method: .get, headers: bearer(Key.tier0))
            #expect(tier0.text == #"{"tier":0}"#)
            let tier50 = try await client.execute(uri: "/ui/key", method: .get, headers: bearer(Key.tier50))
            #expect(tier50.text == #"{"tier":50}"#)
            #expect(try await client.execute(uri: "/ui/key", method: .get).status == .unauthorized)
        }
    }

    @Test("another subnet's table gets the generic browser, no leaderboard; route files may not use /ui/")
    func otherSubnet() async throws {
        let root = try ExampleSubnet.makeRoot()
        defer { root.delete() }
        let table = try ExampleSubnet.table()
        let explorer = ExplorerController(table: table)
        #expect(explorer.views == nil)
        #expect(ExplorerController(table: ptnTable).views?.minerPositions == "/miner-positions/{hotkey}")
        try await buildApplication(ExampleSubnet.configuration(root), logger: quietLogger).test(.router) { client in
            let home = try await client.execute(uri: "/", method: .get, headers: Self.browser)
            #expect(home.status == .ok)
            #expect(!home.text.contains("/ui/leaderboard"))
            for route in table.routes { #expect(home.text.contains("data-path=\"\(route.path)\"")) }
            #expect(try await client.execute(uri: "/ui/leaderboard", method: .get, headers: Self.browser).status == .notFound)
        }
        #expect(throws: RouteFileError.self) { try RouteTable.parse("routes:\n  - path: /ui/things\n    file: things.json\n", reserving: ServerPaths.reserved) }
    }

    @Test("the browse page says where each keyed route's entries are listed")
    func keySources() {
        let routes = Dictionary(uniqueKeysWithValues: ExplorerRoute.all(in: ptnTable).map { ($0.path, $0) })
        let positions = routes["/miner-positions/{hotkey}"]
        #expect(positions?.keysRoute == "/miner-hotkeys")
        #expect(positions?.keysKind == "list")
        #expect(positions?.tier == 0)
        let statistics = routes["/statistics/{hotkey}"]
        #expect(statistics?.keysRoute == "/statistics")
        #expect(statistics?.keysKind == "array")
        #expect(statistics?.keysQuery == "checkpoints=false&fields=hotkey")
        #expect(routes["/miner-positions"]?.parameters.contains("trade_pair") == true)
    }
}
