import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Keys sold as subscriptions, driven through the built binary: quotas that survive restarts (graceful and kill -9),
/// expiry, scopes, and the billing export.
@Suite("End to end: quotas across restarts, expiry, scopes, usage export", .serialized, .runsProcesses)
struct SubscriptionsEndToEndTests {
    static let keyFile = #"""
        {"buyer": {"key": "k-buyer-e2e", "tier": 100, "quota": {"requests": 50, "period": "month"}},
         "crash": {"key": "k-crash-e2e", "tier": 100, "quota": {"requests": 25, "period": "day"}},
         "lapsed": {"key": "k-lapsed-e2e", "tier": 100, "expires": "2020-01-01T00:00:00Z"},
         "scoped": {"key": "k-scoped-e2e", "tier": 100, "routes": ["/statistics*"]}}
        """#

    /// `count` GETs of `path` with `key`, one curl each; the statuses, one per line.
    static func get(_ path: String, key: String, count: Int = 1, port: Int, in root: TestDataRoot) async throws -> [String] {
        let command = "for i in $(seq 1 \(count)); do curl -s -o /dev/null -w '%{http_code}\\n' -H 'Authorization: Bearer \(key)' "
            + "http://127.0.0.1:\(port)\(path); done"
        return try await shell(command, in: root.url).output.split(separator: "\n").map(String.init)
    }

    @Test("the 51st of 50 requests is 429 with RateLimit fields, after a restart and after kill -9; usage --format csv matches",
          .timeLimit(.minutes(5)))
    func quotaAcrossRestarts() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try root.write("ptn_api/api_keys.json", Self.keyFile)
        let binary = try ServerProcess.binary().path
        let state = root.path("state").path
        let arguments = ["serve", "--data-dir", root.url.path, "--state-dir", state]
        let port = ServerProcess.freePort()
        var server = try await ServerProcess.start(arguments + ["--port", "\(port)"], port: port)

        #expect(try await Self.get("/miner-hotkeys", key: "k-buyer-e2e", count: 50, port: port, in: root) == Array(repeating: "200", count: 50))
        #expect(try await Self.get("/miner-hotkeys", key: "k-crash-e2e", count: 10, port: port, in: root) == Array(repeating: "200", count: 10))
        // Expiry and scope.
        #expect(try await Self.get("/miner-hotkeys", key: "k-lapsed-e2e", port: port, in: root) == ["403"])
        #expect(try await Self.get("/miner-hotkeys", key: "k-scoped-e2e", port: port, in: root) == ["403"])
        #expect(try await Self.get("/statistics", key: "k-scoped-e2e", port: port, in: root) == ["200"])
        // Once a batch has been written, kill -9 loses nothing of it. The wait is on the last request's row: a batch
        // takes every row recorded before it, so the earlier ones are written too.
        let export = "'\(binary)' usage --format csv --state-dir '\(state)' --api-keys '\(root.path("ptn_api/api_keys.json").path)'"
        let written = try await eventually(timeout: .seconds(15)) {
            try await shell(export + " --key scoped", in: root.url).output.contains(",scoped,/statistics,1,")
        }
        #expect(written)
        kill(server.process.processIdentifier, SIGKILL)
        await server.waitForExit()

        let port2 = ServerProcess.freePort()
        server = try await ServerProcess.start(arguments + ["--port", "\(port2)"], port: port2)
        #expect(try await Self.get("/miner-hotkeys", key: "k-crash-e2e", count: 16, port: port2, in: root)
            == Array(repeating: "200", count: 15) + ["429"])
        let refused = try await shell("curl -s -i -H 'Authorization: Bearer k-buyer-e2e' http://127.0.0.1:\(port2)/miner-hotkeys", in: root.url).output
        #expect(refused.hasPrefix("HTTP/1.1 429"), "\(refused)")
        #expect(refused.contains("RateLimit-Policy: \"month\";q=50;w=2592000"))
        #expect(refused.contains("RateLimit: \"month\";r=0;t="))
        #expect(refused.contains("Retry-After: "))
        #expect(refused.contains("Monthly request quota of 50 requests used up; it refills at "))
        // A graceful stop writes the last batch.
        let output = await server.stop()
        #expect(server.process.terminationStatus == 0)
        #expect(!output.contains("k-buyer-e2e") && !output.contains("k-crash-e2e"))

        let csv = try await shell(export, in: root.url)
        #expect(csv.status == 0, "\(csv.output)")
        let lines = csv.output.split(separator: "\n").map(String.init)
        #expect(lines.first == "hour,key,route,requests,bytes,client_errors,rate_limited,stream_seconds")
        func counts(_ key: String, _ route: String) -> [Int] {
            lines.filter { $0.contains(",\(key),\(route),") }.map { line in line.split(separator: ",").suffix(5).compactMap { Int($0) } }
                .reduce([0, 0, 0, 0, 0]) { zip($0, $1).map { $0 + $1 } }
        }
        #expect(counts("buyer", "/miner-hotkeys")[0] == 51)
        #expect(counts("buyer", "/miner-hotkeys")[3] == 1)
        #expect(counts("crash", "/miner-hotkeys")[0] == 26)
        #expect(counts("crash", "/miner-hotkeys")[2] == 1)
        #expect(counts("lapsed", "/miner-hotkeys")[2] == 1)
        #expect(counts("scoped", "/statistics")[0] == 1)
        let json = try await shell(export.replacingOccurrences(of: "csv", with: "json") + " --key buyer", in: root.url)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]])
        #expect(rows.reduce(0) { $0 + ($1["requests"] as? Int ?? 0) } == 51)
        #expect(rows.allSatisfy { $0["key"] as? String == "buyer" })
    }

    @Test("a malformed plan at start: exit 2 naming the alias and field, never the key")
    func malformedAtStart() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try root.write("ptn_api/api_keys.json", #"{"acme": {"key": "k-acme-secret", "quota": {"requests": 10, "period": "fortnight"}}}"#)
        let binary = try ServerProcess.binary().path
        let run = try await shell("'\(binary)' serve --data-dir '\(root.url.path)' --port 0 2>&1", in: root.url)
        #expect(run.status == 2)
        #expect(run.output.contains("\"acme\": \"quota.period\""), "\(run.output)")
        #expect(!run.output.contains("k-acme-secret"))
    }

    @Test("keys add and set take --quota, --expires, --routes; keys list shows them with used and remaining")
    func keysCommand() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let binary = try ServerProcess.binary().path
        let file = root.path("ptn_api/api_keys.json").path
        let add = try await shell(
            "'\(binary)' keys add pro --tier 100 --quota 100000,20GB/month --expires 2027-01-31 --routes '/miner-positions*,ws' --api-keys '\(file)' 2>/dev/null",
            in: root.url
        )
        #expect(add.status == 0, "\(add.output)")
        let stored = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
        let pro = try #require(stored["pro"] as? [String: Any])
        #expect((pro["quota"] as? [String: Any])?["bytes"] as? String == "20 GB")
        #expect(pro["expires"] as? String == "2027-01-31T00:00:00Z")
        #expect(pro["routes"] as? [String] == ["/miner-positions*", "ws"])
        let list = try await shell("'\(binary)' keys list --api-keys '\(file)'", in: root.url)
        #expect(list.output.contains("pro\ttier 100\tdefault rate\thashed\tquota 100000,20 GB/month requests used 0 remaining 100000"), "\(list.output)")
        #expect(list.output.contains("expires 2027-01-31T00:00:00Z\troutes /miner-positions*,ws"))
        #expect(list.output.contains("alice\ttier 100\tdefault rate\tplain\tno quota\tno expiry\tall routes"))
        let set = try await shell("'\(binary)' keys set pro --no-quota --all-routes --api-keys '\(file)'", in: root.url)
        #expect(set.status == 0, "\(set.output)")
        let after = try await shell("'\(binary)' keys list --api-keys '\(file)'", in: root.url)
        #expect(after.output.contains("pro\ttier 100\tdefault rate\thashed\tno quota\texpires 2027-01-31T00:00:00Z\tall routes"), "\(after.output)")
        let bad = try await shell("'\(binary)' keys set pro --quota 5/week --api-keys '\(file)'", in: root.url)
        #expect(bad.status != 0)
    }
}
