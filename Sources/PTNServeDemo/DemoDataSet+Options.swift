extension DemoDataSet {
    /// What to generate: how many miners, the generation time the 24-hour lag is measured from, the seed, and the
    /// profile the data set is served with (`vanta` adds the files only Vanta's profile serves: ledgers, selections).
    package struct Options: Sendable, Equatable {
        package var minerCount: Int
        package var generationTimeMs: Int64
        package var seed: UInt64
        package var profile: String

        package init(minerCount: Int = 24, generationTimeMs: Int64, seed: UInt64 = 8, profile: String = "ptn") {
            self.minerCount = minerCount
            self.generationTimeMs = generationTimeMs
            self.seed = seed
            self.profile = profile
        }
    }
}
