/// One miner of the demo set: its hotkey, its output.json object and, when eliminated, its elimination row.
struct DemoMiner: Sendable {
    let hotkey: String
    /// Its output.json object: positions, thirty_day_returns, all_time_returns, n_positions, percentage_profitable.
    let entry: JSONValue
    let elimination: JSONValue?

    var positions: [JSONValue] { entry["positions"]?.arrayValue ?? [] }
    var thirtyDayReturns: Double { entry["thirty_day_returns"]?.doubleValue ?? 1.0 }
}
