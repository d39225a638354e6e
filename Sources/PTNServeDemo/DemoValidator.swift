import Foundation
import Logging
import NIOPosix
import PTNServe

/// `ptn-serve demo`'s simulated validator: every tick a few miners trade (an order added to an open position, a
/// position closed by a FLAT order, or a new one opened) and the validator's cycle files are written again, atomically,
/// as PTN writes them: output.json, its tier views lagged by PTN's rule, and the statistics. So the stream moves.
package struct DemoValidator: PeriodicCheck {
    private let dataSet: DemoDataSet
    private let root: URL
    private let logger: Logger
    private var miners: [DemoMiner]
    private let profiles: [MinerProfile]
    private var random: SplitMix64
    private var ticks = 0

    /// Miners that trade per tick.
    static let tradersPerTick = 1...3

    /// Continues from the data set `dataSet` wrote under `root`.
    package init(dataSet: DemoDataSet, root: URL, logger: Logger) throws {
        self.dataSet = dataSet
        self.root = root
        self.logger = logger
        miners = try dataSet.roster()
        profiles = miners.filter { $0.elimination == nil }.enumerated().map { MinerProfile(miner: $1, index: $0, options: dataSet.options) }
        random = SplitMix64(seed: DemoDigest.subSeed(seed: dataSet.options.seed, label: "validator"))
    }

    package mutating func run() async {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        do {
            let files = try tick(now: now)
            // File writes are blocking: NIO's thread pool, not the cooperative one.
            try await NIOThreadPool.singleton.runIfActive { [root] in try DemoDataSet.write(files, to: root) }
        } catch {
            logger.warning("demo validator: this cycle's files were not written", metadata: ["reason": "\(error)"])
        }
    }

    /// One cycle as of `now`: some miners trade, then the cycle's files (not yet written).
    mutating func tick(now: Int64) throws -> [String: [UInt8]] {
        ticks += 1
        let active = miners.indices.filter { miners[$0].elimination == nil }
        let traders = Int(random.integer(Int64(Self.tradersPerTick.lowerBound)...Int64(Self.tradersPerTick.upperBound)))
        for _ in 0..<min(traders, active.count) {
            let index = active[Int(random.integer(0...Int64(active.count - 1)))]
            miners[index] = trade(miners[index], now: now)
        }
        return try dataSet.cycleFiles(miners: miners, profiles: profiles, generationTimeMs: now)
    }

    /// One trade of `miner`: to its open position (add or close), or a new position when it has none open.
    private mutating func trade(_ miner: DemoMiner, now: Int64) -> DemoMiner {
        var positions = miner.positions
        guard let template = positions.last else { return miner }
        if let open = positions.lastIndex(where: { $0["is_closed_position"]?.boolValue == false }) {
            let orders = positions[open]["orders"]?.arrayValue ?? []
            let net = positions[open]["net_leverage"]?.doubleValue ?? 0
            let closing = random.uniform(0...1) < 0.35
            let leverage = closing ? -net : Self.rounded((net >= 0 ? 1 : -1) * random.uniform(0.01...0.1))
            let order = newOrder(from: orders.last, type: closing ? "FLAT" : (leverage >= 0 ? "LONG" : "SHORT"), leverage: leverage, now: now)
            positions[open] = PositionReplay.rebuild(positions[open], orders: orders + [order], openCloseMs: .int(0))
        } else {
            let long = random.uniform(0...1) < 0.5
            let leverage = Self.rounded((long ? 1 : -1) * random.uniform(0.05...0.5))
            let order = newOrder(from: template["orders"]?.arrayValue?.last, type: long ? "LONG" : "SHORT", leverage: leverage, now: now)
            let position = template
                .setting("position_uuid", to: .string(uuid("position/\(miner.hotkey)")))
                .setting("is_closed_position", to: .bool(false))
            positions.append(PositionReplay.rebuild(position, orders: [order], openCloseMs: .int(0)))
        }
        return DemoMiner(hotkey: miner.hotkey, entry: MinerAggregates.entry(positions: positions, generationTimeMs: now), elimination: nil)
    }

    /// An order like `previous` (its price sources and fields), filled now at a price near its own.
    private mutating func newOrder(from previous: JSONValue?, type: String, leverage: Double, now: Int64) -> JSONValue {
        let price = (previous?["price"]?.doubleValue ?? 100_000) * random.uniform(0.995...1.005)
        return (previous ?? .object([]))
            .setting("order_type", to: .string(type))
            .setting("leverage", to: .double(leverage))
            .setting("price", to: .double(Self.rounded(price, places: 2)))
            .setting("processed_ms", to: .int(now))
            .setting("order_uuid", to: .string(uuid("order")))
    }

    private mutating func uuid(_ label: String) -> String {
        DemoDigest.uuid(seed: random.next(), label: "\(label)/\(ticks)")
    }

    private static func rounded(_ value: Double, places: Int = 5) -> Double {
        let scale = pow(10, Double(places))
        return (value * scale).rounded() / scale
    }
}
