import Testing

@testable import PTNServe
@testable import PTNServeDemo

@Suite("Position replay")
struct PositionReplayTests {
    @Test func replayingRealPositionsReproducesTheirState() throws {
        let resources = try DemoResources.load()
        let positions = try #require(resources.entryA["positions"]?.arrayValue)
        // One real position records a close_ms earlier than its FLAT order (a PTN data quirk); the replay uses the FLAT.
        let quirky = positions.filter { position in
            position["is_closed_position"] == .bool(true)
                && position["close_ms"] != position["orders"]?.arrayValue?.last?["processed_ms"]
        }
        #expect(quirky.map { $0["position_uuid"] } == [.string("c4093977-0619-4fac-93ba-0d4305edc13f")])
        for position in positions {
            let rebuilt = PositionReplay.rebuild(position, orders: position["orders"]?.arrayValue ?? [], openCloseMs: .int(0))
            let keys = ["close_ms", "is_closed_position", "position_type", "open_ms", "orders"]
            for key in keys where !(key == "close_ms" && quirky.contains(position)) {
                #expect(rebuilt[key] == position[key], "\(key) of \(position["position_uuid"] ?? .null)")
            }
            let net = try #require(rebuilt["net_leverage"]?.doubleValue)
            #expect(abs(net - (position["net_leverage"]?.doubleValue ?? .nan)) < 1e-9)
            // The simplified fee and slippage model stays close to PTN's numbers.
            let realReturn = try #require(position["return_at_close"]?.doubleValue)
            #expect(abs((rebuilt["return_at_close"]?.doubleValue ?? 0) - realReturn) < 0.01)
        }
    }

    @Test func replayAveragesEntriesAndRealizesReductions() {
        let orders = [
            TierRuleTests.order("LONG", 0.1, 100, at: 1), TierRuleTests.order("LONG", 0.1, 200, at: 2),
            TierRuleTests.order("SHORT", -0.1, 300, at: 3), TierRuleTests.order("FLAT", -0.1, 150, at: 4),
        ]
        let rebuilt = PositionReplay.rebuild(TierRuleTests.position("p", []), orders: orders, openCloseMs: .int(0))
        #expect(rebuilt["average_entry_price"] == .double(150))
        #expect(rebuilt["close_ms"] == .int(4))
        #expect(rebuilt["position_type"] == .string("FLAT"))
        #expect(rebuilt["net_leverage"] == .double(0.0))
        // (300 − 150) × 0.1 realized on the reduction, nothing on the FLAT at the entry price.
        #expect(abs((rebuilt["realized_pnl"]?.doubleValue ?? 0) - 15) < 1e-9)
        #expect(abs((rebuilt["current_return"]?.doubleValue ?? 0) - 1.1) < 1e-12)
        #expect(abs((rebuilt["cumulative_entry_value"]?.doubleValue ?? 0) - 30) < 1e-9)
    }
}
