import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import PTNServe

@Suite("Statistics routes")
struct StatisticsRoutesTests {
    typealias Key = TestDataRoot.Key

    /// The statistics document parsed, optionally with every element's checkpoints removed.
    static func expected(withoutCheckpoints: Bool) throws -> [String: Any] {
        var document = try #require(try parseJSON(TestDataRoot.statisticsJSON) as? [String: Any])
        if withoutCheckpoints, let data = document["data"] as? [[String: Any]] {
            document["data"] = data.map { element in element.filter { $0.key != "checkpoints" } }
        }
        return document
    }

    @Test("the whole file, with and without a trailing slash, with and without checkpoints", arguments: [
        ("/statistics", false), ("/statistics/", false), ("/statistics?checkpoints=false", true),
        ("/statistics/?checkpoints=FALSE", true), ("/statistics?checkpoints=true", false), ("/statistics?checkpoints=0", false),
    ])
    func wholeFile(_ uri: String, _ stripped: Bool) async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let response = try await client.execute(uri: uri, method: .get, headers: bearer(Key.tier0))
            #expect(response.status == .ok)
            #expect(sameJSON(try response.json(), try Self.expected(withoutCheckpoints: stripped)))
            if !stripped { #expect(response.text == TestDataRoot.statisticsJSON) }
        }
    }

    @Test("one miner's element, with and without checkpoints and trailing slash", arguments: [
        (TestDataRoot.hotkeyA, "", false), (TestDataRoot.hotkeyA, "/", false), (TestDataRoot.hotkeyB, "/?checkpoints=false", true),
        (TestDataRoot.hotkeyB, "?checkpoints=false", true),
    ])
    func oneMiner(_ hotkey: String, _ suffix: String, _ stripped: Bool) async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let response = try await client.execute(uri: "/statistics/\(hotkey)\(suffix)", method: .get, headers: bearer(Key.tier30))
            #expect(response.status == .ok)
            let data = try #require(try Self.expected(withoutCheckpoints: stripped)["data"] as? [[String: Any]])
            let element = try #require(data.first { $0["hotkey"] as? String == hotkey })
            #expect(sameJSON(try response.json(), element))
        }
    }

    @Test("unknown miner, empty data and a missing file each get their own 404")
    func notFound() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let unknown = try await client.execute(uri: "/statistics/5Unknown/", method: .get, headers: bearer(Key.tier0))
            #expect(unknown.status == .notFound)
            #expect(unknown.errorMessage == "Miner ID 5Unknown not found")
        }
        try root.write("runnable/minerstatistics.json", #"{"version": "7.1.1", "data": []}"#)
        try await makeApplication(root).test(.router) { client in
            let empty = try await client.execute(uri: "/statistics/5Unknown/", method: .get, headers: bearer(Key.tier0))
            #expect(empty.errorMessage == "No data found")
        }
        try root.remove("runnable/minerstatistics.json")
        try await makeApplication(root).test(.router) { client in
            for uri in ["/statistics", "/statistics/\(TestDataRoot.hotkeyA)"] {
                let missing = try await client.execute(uri: uri, method: .get, headers: bearer(Key.tier0))
                #expect(missing.status == .notFound)
                #expect(missing.errorMessage == "Statistics data not found")
            }
        }
    }
}
