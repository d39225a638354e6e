import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import PTNServe

/// `/changes` through the real application: what each key may follow, by the route table's rules; `/ready` shows the
/// feed; the route file format round-trips `feed:`.
@Suite("Change routes: access, filters, readiness")
struct ChangesRoutesTests {
    static func page(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    static func feeds(_ page: [String: Any]) -> Set<String> {
        Set((page["events"] as? [[String: Any]] ?? []).compactMap { $0["feed"] as? String })
    }

    @Test("a key follows the files its tier may read; ?tier=T follows that tier file with /miner-positions?tier=T's rule")
    func access() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            // The first versions are announced in a new history: one new_version per followed file.
            let full = try Self.page(try await client.execute(uri: "/changes?since=0", method: .get, headers: bearer(TestDataRoot.Key.tier100)))
            #expect(Self.feeds(full) == ["positions", "statistics", "eliminations", "validator-checkpoint"])
            #expect((full["epoch"] as? String)?.count == 16)
            let low = try Self.page(try await client.execute(uri: "/changes", method: .get, headers: bearer(TestDataRoot.Key.tier30)))
            #expect(Self.feeds(low) == ["statistics", "eliminations"])
            let tier30 = try await client.execute(uri: "/changes?tier=30", method: .get, headers: bearer(TestDataRoot.Key.tier30))
            #expect(tier30.status == .ok)
            #expect(Self.feeds(try Self.page(tier30)) == ["positions-tier-30"])
            let tier50 = try await client.execute(uri: "/changes?tier=50", method: .get, headers: bearer(TestDataRoot.Key.tier30))
            #expect(tier50.status == .forbidden)
            let invalid = try await client.execute(uri: "/changes?tier=7", method: .get, headers: bearer(TestDataRoot.Key.tier30))
            #expect(invalid.status == .badRequest && invalid.errorMessage == "Invalid tier value. Allowed values are 0, 30, 50, or 100")
            let negative = try await client.execute(uri: "/changes?since=-1", method: .get, headers: bearer(TestDataRoot.Key.tier100))
            #expect(negative.status == .badRequest)
            for limit in ["0", "10001", "many"] {
                let refused = try await client.execute(uri: "/changes?limit=\(limit)", method: .get, headers: bearer(TestDataRoot.Key.tier100))
                #expect(refused.status == .badRequest && refused.errorMessage == "limit must be a whole number from 1 to 10000")
            }
            #expect(try await client.execute(uri: "/changes", method: .get).status == .unauthorized)
            #expect(try await client.execute(uri: "/events", method: .get).status == .unauthorized)
            #expect(try await client.execute(uri: "/changes", method: .post, headers: bearer(TestDataRoot.Key.tier100)).status == .methodNotAllowed)
            let head = try await client.execute(uri: "/events", method: .head, headers: bearer(TestDataRoot.Key.tier100))
            #expect(head.status == .ok && head.headers[.contentType] == "text/event-stream" && head.body.readableBytes == 0)
        }
    }

    @Test("a rewrite of output.json is in /changes after the reload, filtered by hotkey")
    func rewrite() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let start = try Self.page(try await client.execute(uri: "/changes", method: .get, headers: bearer(TestDataRoot.Key.tier100)))
            let last = try #require(start["last_sequence"] as? Int)
            let original = try TestDataRoot.outputJSON()
            // Miner B's first position's uuid renamed: one position removed and one added, for B only.
            let field = #""position_uuid":"6d6e2447-8b67-4bf9-82c1-547ddc971706""#
            let renamed = try #require(original.range(of: field, options: .backwards))
            try root.write("validation/outputs/output.json", original.replacingCharacters(in: renamed, with: #""position_uuid":"6d6e2447-8b67-4bf9-82c1-00000000000b""#))
            var events = [[String: Any]]()
            let arrived = try await eventually(timeout: .seconds(20)) {
                let page = try Self.page(try await client.execute(uri: "/changes?since=\(last)", method: .get, headers: bearer(TestDataRoot.Key.tier100)))
                events = page["events"] as? [[String: Any]] ?? []
                return events.count == 2
            }
            #expect(arrived)
            #expect(Set(events.compactMap { $0["kind"] as? String }) == ["item_added", "item_removed"])
            #expect(events.allSatisfy { $0["key"] as? String == TestDataRoot.hotkeyB })
            let other = try Self.page(try await client.execute(
                uri: "/changes?since=\(last)&hotkeys=\(TestDataRoot.hotkeyA)", method: .get, headers: bearer(TestDataRoot.Key.tier100)
            ))
            #expect((other["events"] as? [[String: Any]])?.isEmpty == true)
        }
    }

    @Test("/ready shows the feed: epoch, sequence, journal")
    func readiness() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let body = try Self.page(try await client.execute(uri: "/ready", method: .get))
            let feed = try #require(body["feed"] as? [String: Any])
            #expect(feed["journal"] as? String == "durable")
            #expect((feed["sequence"] as? Int ?? 0) >= 4)
            #expect((feed["epoch"] as? String)?.isEmpty == false)
        }
        // The journal lives beside the key file by default.
        #expect(FileManager.default.fileExists(atPath: root.path("ptn_api/ptn-serve-state/changes.sqlite").path))
    }

    @Test("feed metrics: events published per feed, diff CPU time, the journal's size and oldest sequence")
    func metrics() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let observability = Observability()
        _ = try await makeApplication(root, observability: observability)
        let text = observability.metrics.exposition()
        // Start-up announced the eight files present (all but miner_copying.json), one event each.
        #expect(text.contains(#"ptn_serve_feed_events_total{feed="positions"} 1"#))
        #expect(text.contains(#"ptn_serve_feed_events_total{feed="positions-tier-30"} 1"#))
        #expect(text.contains("ptn_serve_feed_journal_events 8"))
        #expect(text.contains("ptn_serve_feed_oldest_sequence 1"))
        // Each followed file's first version was diffed (hashed), and its CPU time recorded.
        #expect(text.contains(#"ptn_serve_feed_last_diff_cpu_seconds{feed="positions"}"#))
        #expect(text.contains(#"ptn_serve_feed_diff_cpu_microseconds_total{feed="positions"}"#))
    }

    @Test("SSE frames: one data line per line of JSON, id and event first")
    func sseFrame() {
        let frame = ChangesController.frame(id: 7, event: "item_added", data: ByteBuffer(string: "{\n  \"a\": 1\n}"))
        #expect(String(buffer: frame) == "id: 7\nevent: item_added\ndata: {\ndata:   \"a\": 1\ndata: }\n\n")
    }

    @Test("feed: round-trips through routes show")
    func routeFileText() throws {
        let text = ptnTable.routeFileText
        #expect(text.contains("feed:"))
        let reparsed = try RouteFileParser.parse(text, profiles: { _ in nil })
        #expect(reparsed.followedFiles == ptnTable.followedFiles)
    }
}
