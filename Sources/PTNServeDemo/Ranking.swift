/// Ranks and percentiles across miners, as PTN's statistics report them (rank 1 = best).
enum Ranking {
    /// Rank of each value, highest first; ties keep input order.
    static func ranksDescending(_ values: [Double]) -> [Int] {
        var ranks = Array(repeating: 0, count: values.count)
        let order = values.indices.sorted { values[$0] != values[$1] ? values[$0] > values[$1] : $0 < $1 }
        for (position, index) in order.enumerated() { ranks[index] = position + 1 }
        return ranks
    }

    /// Share of miners ranked at or below this one, in 0...1.
    static func percentile(rank: Int, of count: Int) -> Double {
        count <= 1 ? 1.0 : MinerVariation.round(Double(count - rank) / Double(count - 1), places: 6)
    }

    /// `{"value", "rank", "percentile"}` for every value.
    static func rankedObjects(_ values: [Double]) -> [JSONValue] {
        let ranks = ranksDescending(values)
        return zip(values, ranks).map { value, rank in
            .object([
                ("value", .double(value)), ("rank", .int(Int64(rank))),
                ("percentile", .double(percentile(rank: rank, of: values.count))),
            ])
        }
    }
}
