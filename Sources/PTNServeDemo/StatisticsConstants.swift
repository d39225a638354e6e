/// `constants` and `network_data` of the statistics file. The values are illustrative, not PTN's current settings.
enum StatisticsConstants {
    static let constants: JSONValue = .object([
        ("SET_WEIGHT_LOOKBACK_RANGE_DAYS", .int(30)),
        ("MAX_ORDERS_PER_POSITION", .int(100)),
        ("TARGET_CHECKPOINT_DURATION_MS", .int(PerfCheckpointSeries.checkpointDurationMs)),
        ("CHALLENGE_PERIOD_MINIMUM_DAYS", .int(61)),
        ("CHALLENGE_PERIOD_MAXIMUM_DAYS", .int(90)),
        ("MAX_TOTAL_DRAWDOWN", .double(0.9)),
        ("MAX_DAILY_DRAWDOWN", .double(0.95)),
        ("ORDER_SIM_FEE", .double(0.00005)),
        ("ELIMINATION_CHECK_INTERVAL_MS", .int(300_000)),
        ("MINER_STATISTICS_SCORE_DECIMALS", .int(6)),
        ("WEIGHT_METRIC", .string("calmar")),
        ("asset_class_breakdown", .object([
            ("crypto", .object([("emission", .double(0.5)), ("subcategory_weights", .object([("crypto_majors", .double(1.0))]))])),
            ("forex", .object([("emission", .double(0.5)), ("subcategory_weights", .object([("forex_group1", .double(1.0))]))])),
        ])),
        ("trade_pairs_by_subcategory", .object([
            ("crypto_majors", .array([.string("BTCUSD"), .string("ETHUSD")])),
            ("forex_group1", .array([.string("EURUSD"), .string("USDJPY")])),
        ])),
    ])

    static let networkData: JSONValue = .object([
        ("asset_competitiveness", .object([("crypto", .double(0.62)), ("forex", .double(0.38))])),
    ])
}
