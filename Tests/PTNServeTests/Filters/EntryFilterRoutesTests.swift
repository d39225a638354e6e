import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import PTNServe

@Suite("Filtered reads: positions and statistics narrowed by the route table's filters")
struct EntryFilterRoutesTests {
    typealias Key = TestDataRoot.Key
    static let hotkey = TestDataRoot.hotkeyA

    private func object(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    private func positions(_ object: [String: Any]) -> [[String: Any]] { object["positions"] as? [[String: Any]] ?? [] }

    @Test("status, trade_pair, since_ms, limit and fields each narrow the miner's answer; miner-level fields stay as in the file")
    func eachFilter() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let all = try object(try await client.execute(uri: "/miner-positions/\(Self.hotkey)", method: .get, headers: bearer(Key.tier100)))
            let every = positions(all)
            #expect(every.count > 10)

            let open = try object(try await client.execute(uri: "/miner-positions/\(Self.hotkey)?status=open", method: .get, headers: bearer(Key.tier100)))
            #expect(positions(open).map { $0["position_uuid"] as? String } == every.filter { $0["is_closed_position"] as? Bool == false }.map { $0["position_uuid"] as? String })
            #expect(open["n_positions"] as? Int == all["n_positions"] as? Int)
            #expect(open["thirty_day_returns"] as? Double == all["thirty_day_returns"] as? Double)

            let pair = (every.first?["trade_pair"] as? [Any])?.first as? String ?? ""
            let byPair = try object(try await client.execute(uri: "/miner-positions/\(Self.hotkey)?trade_pair=\(pair)", method: .get, headers: bearer(Key.tier100)))
            #expect(positions(byPair).count == every.filter { ($0["trade_pair"] as? [Any])?.first as? String == pair }.count)
            #expect(!positions(byPair).isEmpty)
            // The stream filters' spelling asks the same question: the same bytes, the same ETag.
            let byPairs = try await client.execute(uri: "/miner-positions/\(Self.hotkey)?trade_pairs=\(pair)", method: .get, headers: bearer(Key.tier100))
            #expect(try object(byPairs)["positions"] as? NSArray == byPair["positions"] as? NSArray)

            // since_ms: positions with an order at or after T, or closed at or after T.
            let times = every.map { position -> Int in
                let orders = (position["orders"] as? [[String: Any]] ?? []).compactMap { $0["processed_ms"] as? Int }
                return max(orders.max() ?? 0, position["close_ms"] as? Int ?? 0)
            }
            let median = times.sorted()[times.count / 2]
            let recent = try object(try await client.execute(uri: "/miner-positions/\(Self.hotkey)?since_ms=\(median)", method: .get, headers: bearer(Key.tier100)))
            #expect(positions(recent).count == times.filter { $0 >= median }.count)

            // limit: the N latest, in file order.
            let latest = try object(try await client.execute(uri: "/miner-positions/\(Self.hotkey)?limit=3", method: .get, headers: bearer(Key.tier100)))
            let expected = times.enumerated().sorted { $0.element != $1.element ? $0.element > $1.element : $0.offset < $1.offset }.prefix(3).map(\.offset).sorted()
            #expect(positions(latest).map { $0["position_uuid"] as? String } == expected.map { every[$0]["position_uuid"] as? String })

            let summary = try object(try await client.execute(uri: "/miner-positions/\(Self.hotkey)?fields=n_positions,all_time_returns", method: .get, headers: bearer(Key.tier100)))
            #expect(Set(summary.keys) == ["n_positions", "all_time_returns"])
        }
    }

    @Test("a filtered answer has its own strong ETag and revalidates to 304; gzip when accepted")
    func conditional() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let uri = "/miner-positions/\(Self.hotkey)?status=closed&limit=20"
            let first = try await client.execute(uri: uri, method: .get, headers: bearer(Key.tier100))
            let plain = try await client.execute(uri: "/miner-positions/\(Self.hotkey)", method: .get, headers: bearer(Key.tier100))
            let etag = try #require(first.headers[.eTag])
            #expect(!etag.hasPrefix("W/") && etag != plain.headers[.eTag])
            // The same question asked in another order is the same answer.
            let reordered = try await client.execute(uri: "/miner-positions/\(Self.hotkey)?limit=20&status=closed", method: .get, headers: bearer(Key.tier100))
            #expect(reordered.headers[.eTag] == etag)
            var revalidate = bearer(Key.tier100)
            revalidate[.ifNoneMatch] = etag
            #expect(try await client.execute(uri: uri, method: .get, headers: revalidate).status == .notModified)
            var gzip = bearer(Key.tier100)
            gzip[.acceptEncoding] = "gzip"
            let zipped = try await client.execute(uri: uri, method: .get, headers: gzip)
            #expect(zipped.headers[.contentEncoding] == "gzip")
            #expect(try Gzip.decompress(zipped.body) == first.body)
        }
    }

    @Test("bad filters get 400 naming the parameter and why", arguments: [
        ("foo=1", "unknown parameter \"foo\": this route takes trade_pair, trade_pairs, status, since_ms, limit, fields"),
        ("status=maybe", "status must be one of closed, open"),
        ("since_ms=-5", "since_ms must be a time in milliseconds since 1970 (a whole number of at least 0)"),
        ("since_ms=soon", "since_ms must be a time in milliseconds since 1970 (a whole number of at least 0)"),
        ("limit=0", "limit must be a whole number from 1 to 100000"),
        ("trade_pair=,", "trade_pair must list at least one value, separated by commas"),
        ("status=open&status=closed", "status is given more than once"),
    ])
    func badFilters(_ query: String, _ message: String) async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let response = try await client.execute(uri: "/miner-positions/\(Self.hotkey)?\(query)", method: .get, headers: bearer(Key.tier100))
            #expect(response.status == .badRequest)
            #expect(try object(response)["error"] as? String == message)
        }
    }

    @Test("a long hotkey list is refused at once")
    func longList() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let many = (0 ..< 1_001).map { "P\($0)" }.joined(separator: ",")
            let response = try await client.execute(uri: "/miner-positions/\(Self.hotkey)?trade_pair=\(many)", method: .get, headers: bearer(Key.tier100))
            #expect(response.status == .badRequest)
        }
    }

    @Test("a tier-30 key's filtered answer comes from the tier-30 file, as its unfiltered one does")
    func tierRule() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let unfiltered = try object(try await client.execute(uri: "/miner-positions/\(Self.hotkey)", method: .get, headers: bearer(Key.tier30)))
            let filtered = try object(try await client.execute(uri: "/miner-positions/\(Self.hotkey)?status=closed", method: .get, headers: bearer(Key.tier30)))
            #expect(unfiltered["tier"] as? Int == 30 && filtered["tier"] as? Int == 30)
            #expect(positions(filtered).map { $0["position_uuid"] as? String }
                == positions(unfiltered).filter { $0["is_closed_position"] as? Bool == true }.map { $0["position_uuid"] as? String })
        }
    }

    @Test("statistics: fields narrows one miner's element, with checkpoints=false too")
    func statisticsFields() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let narrowed = try object(try await client.execute(
                uri: "/statistics/\(Self.hotkey)?fields=hotkey,checkpoints&checkpoints=false", method: .get, headers: bearer(Key.tier100)
            ))
            #expect(Set(narrowed.keys) == ["hotkey"])
            let response = try await client.execute(uri: "/statistics/\(Self.hotkey)?status=open", method: .get, headers: bearer(Key.tier100))
            #expect(response.status == .badRequest)
        }
    }

    @Test("the whole file: ?hotkeys= keeps those miners in file order, unknown ones in X-Unknown-Keys; fields makes a summary")
    func wholeFile() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let summary = try object(try await client.execute(uri: "/miner-positions?fields=n_positions,all_time_returns", method: .get, headers: bearer(Key.tier100)))
            #expect(Set(summary.keys) == [TestDataRoot.hotkeyA, TestDataRoot.hotkeyB])
            #expect(summary.values.allSatisfy { Set(($0 as? [String: Any] ?? [:]).keys) == ["n_positions", "all_time_returns"] })

            let one = try await client.execute(
                uri: "/miner-positions?hotkeys=\(TestDataRoot.hotkeyB),5Nobody&status=open", method: .get, headers: bearer(Key.tier100)
            )
            #expect(one.headers[.unknownKeys] == "5Nobody")
            let miners = try object(one)
            #expect(Array(miners.keys) == [TestDataRoot.hotkeyB])
            let open = positions(miners[TestDataRoot.hotkeyB] as? [String: Any] ?? [:])
            #expect(!open.isEmpty && open.allSatisfy { $0["is_closed_position"] as? Bool == false })

            // A tier file with a filter: the tier rule first (403 above the key's tier), then the filter.
            let tier30 = try await client.execute(uri: "/miner-positions?tier=30&hotkeys=\(Self.hotkey)&fields=tier", method: .get, headers: bearer(Key.tier30))
            #expect(try object(tier30)[Self.hotkey] as? [String: Int] == ["tier": 30])
            #expect(try await client.execute(uri: "/miner-positions?tier=50&hotkeys=\(Self.hotkey)", method: .get, headers: bearer(Key.tier30)).status == .forbidden)
            #expect(try await client.execute(uri: "/miner-positions?hotkeys=\(Self.hotkey)", method: .get, headers: bearer(Key.tier30)).status == .forbidden)
            #expect(try await client.execute(uri: "/miner-positions?bogus=1", method: .get, headers: bearer(Key.tier100)).status == .badRequest)
            // Without filters the answer is the file, as before.
            let plain = try await client.execute(uri: "/miner-positions", method: .get, headers: bearer(Key.tier100))
            #expect(plain.body.readableBytes == (try Data(contentsOf: root.path("validation/outputs/output.json"))).count)
        }
    }

    @Test("statistics: ?hotkeys= and ?fields= narrow the data array; the rest of the file stays")
    func statisticsWhole() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let answer = try object(try await client.execute(
                uri: "/statistics?hotkeys=\(Self.hotkey)&fields=hotkey,checkpoints&checkpoints=false", method: .get, headers: bearer(Key.tier100)
            ))
            #expect(answer["data"] as? [[String: String]] == [["hotkey": Self.hotkey]])
            let full = try object(try await client.execute(uri: "/statistics", method: .get, headers: bearer(Key.tier100)))
            #expect(Set(answer.keys) == Set(full.keys))
        }
    }

    @Test("filters on a route that answers a whole file are refused in the route file, naming the route")
    func declarationChecked() throws {
        let file = """
            routes:
              - path: /everything
                file: data/all.json
                filters: {fields: members}
            """
        #expect(throws: RouteFileError.self) { try RouteTable.parse(file) }
        do { _ = try RouteTable.parse(file) } catch { #expect("\(error)".contains("/everything")) }
    }
}
