/// A plausible portfolio perf-ledger (PTN `PerfCheckpoint` list) from a seeded random walk.
struct PerfCheckpointSeries {
    static let checkpointDurationMs: Int64 = 43_200_000

    let checkpoints: [JSONValue]
    /// Return of each checkpoint period (1.0 = flat), oldest first.
    let periodReturns: [Double]
    let endMs: Int64

    /// `count` checkpoints of 12 h ending at the last 12-hour boundary before `endMs`, drifting towards `targetReturn`.
    init(seed: UInt64, hotkey: String, count: Int, endMs: Int64, targetReturn: Double) {
        var random = SplitMix64(seed: DemoDigest.subSeed(seed: seed, label: "checkpoints/\(hotkey)"))
        let duration = Self.checkpointDurationMs
        let lastBoundary = endMs / duration * duration
        let drift = (targetReturn - 1) / Double(max(count, 1))
        var portfolio = 1.0, peak = 1.0, spreadFee = 1.0, carryFee = 1.0, maxDrawdown = 1.0
        var returns: [Double] = []
        var rows: [JSONValue] = []
        for index in 0..<count {
            let periodReturn = 1 + drift + random.uniform(-0.004...0.004)
            let spread = 1 - random.uniform(0...0.00004)
            let carry = 1 - random.uniform(0...0.00002)
            let change = periodReturn - 1
            // PTN accumulates log returns; log(1 + x) ≈ x − x²/2 is exact enough for sub-percent moves.
            let logChange = change - change * change / 2
            let row: [(String, JSONValue)] = [
                ("last_update_ms", .int(lastBoundary - Int64(count - 1 - index) * duration)),
                ("prev_portfolio_ret", .double(portfolio)),
                ("prev_portfolio_spread_fee", .double(spreadFee)),
                ("prev_portfolio_carry_fee", .double(carryFee)),
                ("accum_ms", .int(duration)),
                ("open_ms", .int(random.integer(duration / 4...duration))),
                ("n_updates", .int(random.integer(40...720))),
                ("gain", .double(max(logChange, 0))),
                ("loss", .double(min(logChange, 0))),
                ("spread_fee_loss", .double(spread - 1)),
                ("carry_fee_loss", .double(carry - 1)),
                ("mdd", .double(maxDrawdown)),
                ("mpv", .double(peak)),
                ("pnl_gain", .double(MinerVariation.round(max(change, 0) * 100_000, places: 2))),
                ("pnl_loss", .double(MinerVariation.round(min(change, 0) * 100_000, places: 2))),
            ]
            rows.append(.object(row))
            returns.append(periodReturn)
            portfolio *= periodReturn * spread * carry
            spreadFee *= spread
            carryFee *= carry
            peak = max(peak, portfolio)
            maxDrawdown = min(maxDrawdown, portfolio / peak)
        }
        checkpoints = rows
        periodReturns = returns
        self.endMs = lastBoundary
    }

    /// Daily returns in percent, pairing the 12-hour periods into UTC days (PTN's `daily_returns`).
    var dailyReturns: [(date: String, percent: Double)] {
        let perDay = Int(86_400_000 / Self.checkpointDurationMs)
        return stride(from: periodReturns.count % perDay, to: periodReturns.count, by: perDay).map { start in
            let day = periodReturns[start..<start + perDay].reduce(1, *)
            let dayEnd = endMs - Int64(periodReturns.count - start - perDay) * Self.checkpointDurationMs
            return (UTCDateFormat.date(dayEnd - 1), MinerVariation.round((day - 1) * 100, places: 6))
        }
    }

    /// Worst peak-to-trough ratio (1.0 = no drawdown).
    var maxDrawdown: Double {
        var peak = 1.0, value = 1.0, worst = 1.0
        for periodReturn in periodReturns {
            value *= periodReturn
            peak = max(peak, value)
            worst = min(worst, value / peak)
        }
        return worst
    }
}
