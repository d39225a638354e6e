import Foundation
import NIOCore
import Testing

@testable import PTNServe
@testable import PTNServeDemo

@Suite("Demo data set")
struct DemoDataSetTests {
    static let generationTimeMs: Int64 = 1_764_000_000_000
    static let files: Result<[String: [UInt8]], any Error> = Result {
        try DemoDataSet(options: .init(generationTimeMs: generationTimeMs)).files()
    }

    static let expectedPaths = [
        "validation/outputs/output.json",
        "validation/outputs/tiered_positions/0/output.json.gz",
        "validation/outputs/tiered_positions/30/output.json.gz",
        "validation/outputs/tiered_positions/50/output.json.gz",
        "validation/outputs/tiered_positions/100/output.json.gz",
        "validation/eliminations.json",
        "runnable/minerstatistics.json",
        "runnable/validator_checkpoint.json.gz",
        "ptn_api/api_keys.json",
    ]

    private func file(_ path: String) throws -> [UInt8] {
        let bytes = try #require(try Self.files.get()[path], "missing \(path)")
        guard path.hasSuffix(".gz") else { return bytes }
        return Array(try Gzip.decompress(ByteBuffer(bytes: bytes)).readableBytesView)
    }

    private func foundationJSON(_ path: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(try file(path)), options: [.fragmentsAllowed])
    }

    /// Hotkeys of a miner map in file order (JSONSerialization loses order; the scanner keeps it).
    private func hotkeys(_ path: String) throws -> [String] {
        try JSONScanner.objectMembers(ofDocument: try file(path)).map(\.key)
    }

    @Test func everyFileIsPresentAndParses() throws {
        let files = try Self.files.get()
        #expect(Set(files.keys) == Set(Self.expectedPaths))
        for path in Self.expectedPaths {
            #expect(try foundationJSON(path) is [String: Any], "\(path) is not a JSON object")
        }
    }

    static let vantaPaths = [
        "validation/debt_ledger.json.gz", "validation/emissions_ledger.json.gz", "validation/penalty_ledger.json.gz",
        "validation/perf_ledgers.json.gz", "validation/asset_selections.json",
    ]

    @Test("the vanta data set adds the ledgers and selections, each keyed by the same miners, and parses")
    func vantaFiles() throws {
        let files = try DemoDataSet(options: .init(generationTimeMs: Self.generationTimeMs, profile: "vanta")).files()
        #expect(Set(files.keys) == Set(Self.expectedPaths + Self.vantaPaths))
        func json(_ path: String) throws -> [String: Any] {
            var bytes = try #require(files[path], "missing \(path)")
            if path.hasSuffix(".gz") { bytes = Array(try Gzip.decompress(ByteBuffer(bytes: bytes)).readableBytesView) }
            try bytes.withUnsafeBytes { try JSONScanner.validate($0) }
            return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any], "\(path) is not an object")
        }
        let selections = try json("validation/asset_selections.json")
        #expect(!selections.isEmpty && selections.values.allSatisfy { $0 as? String == "crypto" })
        let miners = Set(selections.keys)
        #expect(Set(try json("validation/perf_ledgers.json.gz").keys) == miners)
        for path in Self.vantaPaths.prefix(3) {
            let ledgers = try #require(try json(path)["ledgers"] as? [String: [String: Any]], "\(path)")
            #expect(Set(ledgers.keys) == miners, "\(path)")
            for (hotkey, ledger) in ledgers {
                let checkpoints = try #require(ledger["checkpoints"] as? [[String: Any]])
                #expect(ledger["hotkey"] as? String == hotkey && ledger["total_checkpoints"] as? Int == checkpoints.count && !checkpoints.isEmpty)
            }
        }
        let perf = try #require(try json("validation/perf_ledgers.json.gz")[DemoResources.realHotkey] as? [String: Any])
        #expect((perf["portfolio"] as? [String: Any])?["cps"] is [Any])
        // The ptn data set is unchanged.
        #expect(Set(try Self.files.get().keys) == Set(Self.expectedPaths))
    }

    @Test func tierFilesKeepTheMinerOrderOfOutputJSON() throws {
        let realTime = try hotkeys("validation/outputs/output.json")
        #expect(realTime.count == 24)
        #expect(realTime.contains(DemoResources.realHotkey))
        for tier in TierRule.tiers {
            #expect(try hotkeys("validation/outputs/tiered_positions/\(tier)/output.json.gz") == realTime)
        }
    }

    @Test func outputJSONIsSortedByThirtyDayReturns() throws {
        let miners = try #require(try JSONValue(scanning: try file("validation/outputs/output.json")).objectPairs)
        let returns = miners.compactMap { $0.1["thirty_day_returns"]?.doubleValue }
        #expect(returns.count == miners.count)
        #expect(returns == returns.sorted(by: >))
        let keys = ["positions", "thirty_day_returns", "all_time_returns", "n_positions", "percentage_profitable"]
        #expect(miners.allSatisfy { $0.1.objectPairs?.map(\.0) == keys })
    }

    @Test func tierFilesCarryTheirTierAndDiffer() throws {
        var orderCounts: [Int] = []
        for tier in TierRule.tiers {
            let miners = try #require(try JSONValue(scanning: try file("validation/outputs/tiered_positions/\(tier)/output.json.gz")).objectPairs)
            #expect(miners.allSatisfy { $0.1.objectPairs?.last?.0 == "tier" && $0.1["tier"] == .int(Int64(tier)) })
            let positions = miners.flatMap { $0.1["positions"]?.arrayValue ?? [] }
            orderCounts.append(positions.reduce(0) { $0 + ($1["orders"]?.arrayValue?.count ?? 0) })
        }
        let realTimeBytes = try file("validation/outputs/tiered_positions/100/output.json.gz")
        let lagged = try file("validation/outputs/tiered_positions/0/output.json.gz")
        #expect(realTimeBytes != lagged)
        #expect(orderCounts == orderCounts.sorted(by: >), "lower tiers hide more recent orders")
        #expect(orderCounts[0] > orderCounts[3], "tier 0 should hide the orders of the last 24 h")
    }

    @Test func encodedTierFilesEqualTheReferenceViews() throws {
        let options = DemoDataSet.Options(minerCount: 6, generationTimeMs: Self.generationTimeMs)
        let miners = try DemoRoster(options: options, resources: try DemoResources.load()).miners()
        let encoder = MinerMapEncoder(miners: miners)
        let realTime = miners.map { ($0.hotkey, $0.entry) }
        #expect(encoder.realTime() == JSONWriter.encode(.object(realTime)))
        let views = TierViews.cumulativeViews(of: realTime, generationTimeMs: Self.generationTimeMs)
        for tier in TierRule.tiers {
            #expect(encoder.view(tier: tier, generationTimeMs: Self.generationTimeMs) == JSONWriter.encode(.object(views[tier] ?? [])))
        }
    }

    @Test func variationsHaveFreshUUIDsAndTheirOwnHotkey() throws {
        let miners = try #require(try JSONValue(scanning: try file("validation/outputs/output.json")).objectPairs)
        var uuids = Set<String>()
        for (hotkey, miner) in miners {
            for position in miner["positions"]?.arrayValue ?? [] {
                #expect(position["miner_hotkey"] == .string(hotkey))
                let uuid = try #require(position["position_uuid"]?.stringValue)
                #expect(uuids.insert(uuid).inserted, "duplicate position uuid \(uuid)")
                #expect(position["position_uuid"] == position["orders"]?.arrayValue?.first?["order_uuid"])
            }
        }
        let real = try #require(miners.first { $0.0 == DemoResources.realHotkey }?.1)
        #expect(real["positions"]?.arrayValue?.first?["position_uuid"] == .string("6d6e2447-8b67-4bf9-82c1-547ddc971706"))
    }

    @Test func statisticsCoverOnlyKnownMinersInRankOrder() throws {
        let statistics = try #require(try foundationJSON("runnable/minerstatistics.json") as? [String: Any])
        let data = try #require(statistics["data"] as? [[String: Any]])
        let statHotkeys = data.compactMap { $0["hotkey"] as? String }
        #expect(statHotkeys.count == data.count)
        #expect(Set(statHotkeys).isSubset(of: Set(try hotkeys("validation/outputs/output.json"))))
        let ranks = data.compactMap { ($0["weight"] as? [String: Any])?["rank"] as? Int }
        #expect(ranks == Array(1...data.count))
        for element in data {
            let checkpoints = try #require(element["checkpoints"] as? [[String: Any]])
            #expect((40...120).contains(checkpoints.count))
        }
        let created = try #require(statistics["created_date"] as? String)
        #expect(created == "2025-11-24 16:00:00")
    }

    @Test func eliminatedMinersAreListedButNotRanked() throws {
        let eliminations = try #require(try foundationJSON("validation/eliminations.json") as? [String: [[String: Any]]])
        let rows = try #require(eliminations["eliminations"])
        #expect(rows.count == 3)
        let eliminated = Set(rows.compactMap { $0["hotkey"] as? String })
        let data = try #require((try foundationJSON("runnable/minerstatistics.json") as? [String: Any])?["data"] as? [[String: Any]])
        #expect(eliminated.isDisjoint(with: data.compactMap { $0["hotkey"] as? String }))
        #expect(rows.contains { $0["reason"] as? String == "LIQUIDATED" && $0["price_info"] != nil && $0["return_info"] != nil })
    }

    @Test func apiKeysCoverTheFourTiers() throws {
        let keys = try #require(try foundationJSON("ptn_api/api_keys.json") as? [String: [String: Any]])
        #expect(Set(keys.compactMap { $0.value["tier"] as? Int }) == [100, 50, 30, 0])
        #expect(keys["demo-tier-30"]?["key"] as? String == DemoDataSet(options: .init(generationTimeMs: 0)).keys[2].key)
    }

    @Test func checkpointHasTheSpecKeysAndRealTimePositions() throws {
        let bytes = try file("runnable/validator_checkpoint.json.gz")
        let members = try JSONScanner.objectMembers(ofDocument: bytes)
        #expect(members.map(\.key) == [
            "version", "created_timestamp_ms", "created_date", "challengeperiod", "miner_account_sizes", "eliminations",
            "youngest_order_processed_ms", "oldest_order_processed_ms", "positions", "perf_ledgers", "asset_selections",
        ])
        let positions = try #require(members.first { $0.key == "positions" })
        #expect(Array(bytes[positions.valueRange]) == (try file("validation/outputs/output.json")))
    }

    @Test func generationIsDeterministicPerSeed() throws {
        let first = try Self.files.get()
        let again = try DemoDataSet(options: .init(generationTimeMs: Self.generationTimeMs)).files()
        let otherSeed = try DemoDataSet(options: .init(generationTimeMs: Self.generationTimeMs, seed: 9)).files()
        #expect(first == again)
        #expect(first["validation/outputs/output.json"] != otherSeed["validation/outputs/output.json"])
        #expect(first["ptn_api/api_keys.json"] != otherSeed["ptn_api/api_keys.json"])
    }

    @Test func writeCreatesTheFilesAndReturnsTheKeys() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ptn-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let keys = try DemoDataSet(options: .init(minerCount: 4, generationTimeMs: Self.generationTimeMs)).write(to: root)
        #expect(keys.map(\.tier) == [100, 50, 30, 0])
        for path in Self.expectedPaths {
            #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path), "missing \(path)")
        }
    }

    @Test("the key file is written readable by its owner only, also over an earlier one open to others")
    func keyFileIsPrivate() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ptn-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let keyFile = root.appendingPathComponent("ptn_api/api_keys.json").path
        try FileManager.default.createDirectory(at: root.appendingPathComponent("ptn_api"), withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: keyFile, contents: Data("{}".utf8), attributes: [.posixPermissions: 0o644]))
        _ = try DemoDataSet(options: .init(minerCount: 4, generationTimeMs: Self.generationTimeMs)).write(to: root)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? NSNumber)
        #expect(mode.intValue & 0o777 == 0o600)
        // What `serve` checks before warning that the keys are exposed.
        #expect(KeyFilePermissions.exposedMode(keyFile) == nil)
        #expect(try Data(contentsOf: URL(fileURLWithPath: keyFile)) == Data(try #require(try Self.files.get()["ptn_api/api_keys.json"])))
    }
}
