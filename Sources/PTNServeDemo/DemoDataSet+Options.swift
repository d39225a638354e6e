extension DemoDataSet {
    /// What to generate: how many miners, the generation time the 24-hour lag is measured from, and the seed.
    public struct Options: Sendable, Equatable {
        public var minerCount: Int
        public var generationTimeMs: Int64
        public var seed: UInt64

        public init(minerCount: Int = 24, generationTimeMs: Int64, seed: UInt64 = 8) {
            self.minerCount = minerCount
            self.generationTimeMs = generationTimeMs
            self.seed = seed
        }
    }
}
