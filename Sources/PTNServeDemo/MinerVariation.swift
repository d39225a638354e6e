/// Derives a new, plausible miner from a real sample: shifted times, perturbed prices and leverages, fresh UUIDs.
struct MinerVariation {
    /// The instrument the variation trades, with a price scale relative to the BTC sample.
    struct Instrument {
        let tradePair: JSONValue
        let priceScale: ClosedRange<Double>

        static let btc = Instrument(tradePair: tradePair("BTCUSD", "BTC/USD"), priceScale: 0.97...1.03)
        static let eth = Instrument(tradePair: tradePair("ETHUSD", "ETH/USD"), priceScale: 0.030...0.033)

        private static func tradePair(_ id: String, _ display: String) -> JSONValue {
            .array([.string(id), .string(display), .double(0.003), .double(0.01), .double(0.5)])
        }
    }

    let seed: UInt64
    let hotkey: String
    let instrument: Instrument

    /// Rewrites `positions` so the newest order lands at `newestOrderMs`; drops about `dropShare` of closed positions.
    func positions(from positions: [JSONValue], newestOrderMs: Int64, dropShare: Double) -> [JSONValue] {
        var random = SplitMix64(seed: DemoDigest.subSeed(seed: seed, label: "variation/\(hotkey)"))
        let priceScale = random.uniform(instrument.priceScale)
        let leverageScale = random.uniform(0.6...1.4)
        let baseNewest = positions.flatMap { $0["orders"]?.arrayValue ?? [] }.compactMap { $0["processed_ms"]?.int64Value }.max() ?? 0
        let shift = newestOrderMs - baseNewest
        return positions.compactMap { position in
            let isClosed = position["is_closed_position"]?.boolValue == true
            // Draw before deciding so every position consumes the same amount of randomness.
            let dropDraw = random.uniform(0...1)
            if isClosed && dropDraw < dropShare { return nil }
            var net = 0.0
            let orders = (position["orders"]?.arrayValue ?? []).map { order in
                let factor = priceScale * random.uniform(0.998...1.002)
                var leverage = Self.round((order["leverage"]?.doubleValue ?? 0) * leverageScale, places: 5)
                // A FLAT order carries the leverage that closes the book, as in the sample.
                if order["order_type"]?.stringValue == "FLAT" { leverage = -net }
                net += leverage
                return rewrite(order, factor: factor, leverage: leverage, shift: shift)
            }
            let rewritten = position
                .setting("miner_hotkey", to: .string(hotkey))
                .setting("position_uuid", to: .string(newUUID(position["position_uuid"]?.stringValue ?? "")))
                .setting("trade_pair", to: instrument.tradePair)
            return PositionReplay.rebuild(rewritten, orders: orders, openCloseMs: .int(0))
        }
    }

    /// Only new hotkey and UUIDs, for the verbatim copy of a real sample.
    func relabeled(_ positions: [JSONValue]) -> [JSONValue] {
        positions.map { position in
            let orders = (position["orders"]?.arrayValue ?? []).map {
                $0.setting("order_uuid", to: .string(newUUID($0["order_uuid"]?.stringValue ?? "")))
            }
            return position
                .setting("miner_hotkey", to: .string(hotkey))
                .setting("position_uuid", to: .string(newUUID(position["position_uuid"]?.stringValue ?? "")))
                .setting("orders", to: .array(orders))
        }
    }

    private func rewrite(_ order: JSONValue, factor: Double, leverage: Double, shift: Int64) -> JSONValue {
        let sources = (order["price_sources"]?.arrayValue ?? []).map { source in
            ["open", "close", "vwap", "high", "low", "bid", "ask"].reduce(source) { scaled($0, key: $1, factor: factor) }
                .setting("start_ms", to: .int((source["start_ms"]?.int64Value ?? 0) + shift))
        }
        return ["price", "bid", "ask"].reduce(order) { scaled($0, key: $1, factor: factor) }
            .setting("leverage", to: .double(leverage))
            .setting("processed_ms", to: .int((order["processed_ms"]?.int64Value ?? 0) + shift))
            .setting("order_uuid", to: .string(newUUID(order["order_uuid"]?.stringValue ?? "")))
            .setting("price_sources", to: .array(sources))
    }

    /// PTN's position uuid is its first order's uuid; mapping both through the same digest keeps that true.
    private func newUUID(_ old: String) -> String {
        DemoDigest.uuid(seed: seed, label: "\(hotkey)/\(old)")
    }

    /// Scales a price field to cents; zero stays zero (the samples use 0.0 for "no bid/ask recorded").
    private func scaled(_ object: JSONValue, key: String, factor: Double) -> JSONValue {
        guard let value = object[key]?.doubleValue, value != 0 else { return object }
        return object.setting(key, to: .double(Self.round(value * factor, places: 2)))
    }

    static func round(_ value: Double, places: Int) -> Double {
        let scale = (0..<places).reduce(1.0) { value, _ in value * 10 }
        return (value * scale).rounded() / scale
    }
}
