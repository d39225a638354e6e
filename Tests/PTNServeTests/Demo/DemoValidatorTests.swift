import Foundation
import Logging
import NIOCore
import Testing

@testable import PTNServe
@testable import PTNServeDemo

@Suite("Demo: the simulated validator")
struct DemoValidatorTests {
    static let startMs: Int64 = 1_764_000_000_000

    private func positions(_ files: [String: [UInt8]], _ path: String) throws -> [String: [[String: Any]]] {
        var bytes = try #require(files[path])
        if path.hasSuffix(".gz") { bytes = Array(try Gzip.decompress(ByteBuffer(bytes: bytes)).readableBytesView) }
        let document = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: [String: Any]])
        return document.mapValues { $0["positions"] as? [[String: Any]] ?? [] }
    }

    /// Every order's uuid with its processed time, per file.
    private func orders(_ files: [String: [UInt8]], _ path: String) throws -> [String: Int64] {
        var result = [String: Int64]()
        for position in try positions(files, path).values.flatMap({ $0 }) {
            for order in position["orders"] as? [[String: Any]] ?? [] {
                result[order["order_uuid"] as? String ?? ""] = (order["processed_ms"] as? NSNumber)?.int64Value
            }
        }
        return result
    }

    @Test("each tick trades: new orders stamped now in output.json and tier 100, lagged out of tier 0; others keep their bytes")
    func ticksTrade() throws {
        let dataSet = DemoDataSet(options: .init(generationTimeMs: Self.startMs))
        let initial = try dataSet.files()
        var validator = try DemoValidator(dataSet: dataSet, root: URL(fileURLWithPath: "/nonexistent"), logger: Logger(label: "test"))
        var previous = initial
        var newOrders = 0
        for tick in 1...6 {
            let now = Self.startMs + Int64(tick) * 15_000
            let files = try validator.tick(now: now)
            #expect(Set(files.keys) == [
                "validation/outputs/output.json", "runnable/minerstatistics.json",
                "validation/outputs/tiered_positions/0/output.json.gz", "validation/outputs/tiered_positions/30/output.json.gz",
                "validation/outputs/tiered_positions/50/output.json.gz", "validation/outputs/tiered_positions/100/output.json.gz",
            ])
            let before = try orders(previous, "validation/outputs/output.json")
            let after = try orders(files, "validation/outputs/output.json")
            let added = after.filter { before[$0.key] == nil }
            #expect(!added.isEmpty, "tick \(tick) traded nothing")
            #expect(added.values.allSatisfy { $0 == now })
            #expect(Set(before.keys).isSubset(of: Set(after.keys)), "a tick only adds orders")
            // Tier 100 is real time; tier 0 lags every fresh position, so none of this tick's orders shows there.
            #expect(Set(added.keys).isSubset(of: Set(try orders(files, "validation/outputs/tiered_positions/100/output.json.gz").keys)))
            #expect(Set(added.keys).isDisjoint(with: Set(try orders(files, "validation/outputs/tiered_positions/0/output.json.gz").keys)))
            newOrders += added.count
            previous = files
        }
        #expect(newOrders >= 6)
        // Every miner stays; position uuids stay unique and each position names its miner.
        let first = try positions(initial, "validation/outputs/output.json")
        let last = try positions(previous, "validation/outputs/output.json")
        #expect(Set(first.keys) == Set(last.keys))
        for (hotkey, list) in last {
            #expect(list.allSatisfy { $0["miner_hotkey"] as? String == hotkey })
            #expect(Set(list.compactMap { $0["position_uuid"] as? String }).count == list.count)
        }
    }
}
