import Foundation
public struct DemoKey: Sendable { public let alias: String; public let key: String; public let tier: Int }
public struct DemoDataSet {
    public struct Options { public init(minerCount: Int = 24, generationTimeMs: Int64, seed: UInt64 = 8) {} }
    public init(options: Options) {}
    public func write(to root: URL) throws -> [DemoKey] { [] }
}
