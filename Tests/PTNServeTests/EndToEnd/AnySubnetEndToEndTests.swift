import Foundation
import Testing

/// Another subnet's files and the Vanta layout, served by the built binary and driven with curl as an operator would.
@Suite("End to end: a route file for another subnet, the vanta profile, routes check/show", .serialized, .runsProcesses)
struct AnySubnetEndToEndTests {
    static func curl(_ arguments: String, port: Int, in root: TestDataRoot) async throws -> String {
        try await shell("curl -s \(arguments.replacingOccurrences(of: "URL", with: "http://127.0.0.1:\(port)"))", in: root.url).output
    }

    @Test("every route of the example serves, hot reloads, gzips, ranges; 405s; the OpenAPI document validates")
    func exampleSubnet() async throws {
        let root = try ExampleSubnet.makeRoot()
        defer { root.delete() }
        let port = ServerProcess.freePort()
        let server = try await ExampleSubnet.serve(root, port: port)
        defer { server.terminate() }
        let gold = "-H 'Authorization: Bearer \(ExampleSubnet.goldKey)'"
        let free = "-H 'Authorization: Bearer \(ExampleSubnet.freeKey)'"
        let code = "-o /dev/null -w '%{http_code}'"

        #expect(try await Self.curl("\(free) URL/weights/7", port: port, in: root).contains("\"weight\": 0.25"))
        #expect(try await Self.curl("\(free) URL/uids", port: port, in: root) == #"["0", "3", "7"]"#)
        #expect(try await Self.curl("\(gold) URL/miners/\(ExampleSubnet.alpha)", port: port, in: root).contains("\"rank\": 1"))
        #expect(try await Self.curl("\(free) \(code) URL/miners", port: port, in: root) == "403")
        #expect(try await Self.curl("\(code) URL/weights", port: port, in: root) == "401")
        #expect(try await Self.curl("\(free) \(code) -X DELETE URL/scores", port: port, in: root) == "405")
        #expect(try await Self.curl("\(free) URL/scores", port: port, in: root).contains("\"epoch\": 812"))
        // The stored gzip file is sent gzip to a client that asks, inflated for one that does not.
        let headers = try await Self.curl("\(gold) -D - -o /dev/null -H 'Accept-Encoding: gzip' URL/miners", port: port, in: root)
        #expect(headers.lowercased().contains("content-encoding: gzip"))
        #expect(try await Self.curl("\(gold) --compressed URL/miners", port: port, in: root).contains("\"netuid\": 42"))
        #expect(try await Self.curl("\(free) -r 0-4 URL/weights", port: port, in: root) == "{\"0\":")

        // Filters by declaration: the miners file narrowed to one miner's score and rank, and one miner's fields.
        let narrowed = try await Self.curl("\(gold) 'URL/miners?hotkeys=\(ExampleSubnet.alpha),5Nobody&fields=score,rank'", port: port, in: root)
        let miners = try JSONSerialization.jsonObject(with: Data(narrowed.utf8)) as? [String: Any]
        #expect(miners?["data"] as? [[String: Double]] == [["score": 0.912, "rank": 1]], "\(narrowed)")
        #expect(miners?["netuid"] as? Int == 42)
        #expect(try await Self.curl("\(gold) 'URL/miners/\(ExampleSubnet.alpha)?fields=rank'", port: port, in: root) == #"{"rank": 1}"#)
        #expect(try await Self.curl("\(gold) \(code) 'URL/miners/\(ExampleSubnet.alpha)?rank=1'", port: port, in: root) == "400")

        // Hot reload: an atomic rewrite is served within the poll interval; the ETag changes.
        let before = try await Self.curl("\(free) -D - -o /dev/null URL/weights", port: port, in: root)
        try root.write("state/weights.json", #"{"11": {"weight": 1.0}}"#)
        let reloaded = try await eventually(timeout: .seconds(10)) {
            try await Self.curl("\(free) URL/uids", port: port, in: root) == #"["11"]"#
        }
        #expect(reloaded)
        let after = try await Self.curl("\(free) -D - -o /dev/null URL/weights", port: port, in: root)
        #expect(Self.etag(before) != nil && Self.etag(before) != Self.etag(after))

        let document = root.path("openapi.json")
        let fetched = try await shell("curl -sf -o '\(document.path)' http://127.0.0.1:\(port)/openapi.json", in: root.url)
        #expect(fetched.status == 0)
        let validator = try await shell("command -v openapi-spec-validator >/dev/null && openapi-spec-validator '\(document.path)'", in: root.url)
        #expect(validator.status == 0, "\(validator.output)")
    }

    static func etag(_ headers: String) -> String? {
        headers.split(whereSeparator: \.isNewline).first { $0.lowercased().hasPrefix("etag:") }.map(String.init)
    }

    @Test("--profile vanta serves a Vanta layout: key file under vanta_api/, statistics gzipped")
    func vantaLayout() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try FileManager.default.createDirectory(at: root.path("vanta_api"), withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: root.path("ptn_api/api_keys.json"), to: root.path("vanta_api/api_keys.json"))
        try root.write("runnable/minerstatistics.json.gz", try TestDataRoot.gzip(TestDataRoot.statisticsJSON.replacingOccurrences(of: "7.1.1", with: "8.8.9")))
        try root.remove("runnable/minerstatistics.json")
        let port = ServerProcess.freePort()
        let server = try await ServerProcess.start(
            ["serve", "--profile", "vanta", "--data-dir", root.url.path, "--port", "\(port)"], port: port
        )
        defer { server.terminate() }
        let key = "-H 'Authorization: Bearer \(TestDataRoot.Key.tier100)'"
        #expect(try await Self.curl("\(key) URL/statistics", port: port, in: root).contains("\"version\": \"8.8.9\""))
        #expect(try await Self.curl("\(key) URL/statistics/\(TestDataRoot.hotkeyA)?checkpoints=false", port: port, in: root).contains("\"weight\""))
        #expect(try await Self.curl("\(key) URL/miner-hotkeys", port: port, in: root).contains(TestDataRoot.hotkeyA))
        #expect(try await Self.curl("URL/ready", port: port, in: root).contains("\"profile\":\"vanta\""))
    }

    @Test("routes check: exit 0 and what each route serves, or exit 2 naming the route; routes show prints a route file")
    func routesCommand() async throws {
        let root = try ExampleSubnet.makeRoot()
        defer { root.delete() }
        let binary = try ServerProcess.binary().path
        let check = try await shell("'\(binary)' routes check '\(ExampleSubnet.routeFile.path)' --data-dir '\(root.url.path)'", in: root.url)
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.contains("GET /miners/{hotkey}  the element of array \"data\" by field \"hotkey\" in state-miners; ?history=false drops history, key tier >= 50"))
        #expect(check.output.contains("state-scores: state/scores.json.gz or state/scores.json  (present)"))

        try root.write("bad.yaml", "routes:\n  - path: /a/{x}/{y}\n    file: a.json\n    select: member\n")
        let bad = try await shell("'\(binary)' routes check bad.yaml", in: root.url)
        #expect(bad.status == 2)
        #expect(bad.output.contains("route /a/{x}/{y}: the path has two parameters"))
        let port = ServerProcess.freePort()
        let serve = try await shell("'\(binary)' serve --routes bad.yaml --data-dir . --port \(port)", in: root.url)
        #expect(serve.status == 2 && serve.output.contains("route /a/{x}/{y}"))

        let show = try await shell("'\(binary)' routes show --profile vanta > vanta.yaml && '\(binary)' routes check vanta.yaml", in: root.url)
        #expect(show.status == 0, "\(show.output)")
        #expect(try String(contentsOf: root.path("vanta.yaml"), encoding: .utf8).contains("vanta_api/api_keys.json"))
    }
}
