import Foundation

/// Locates the real PTN miner entries that the package ships under Sources/PTNServeDemo/Resources.
enum PTNFixture {
    /// The package root, found from this file's path (Tests/PTNServeTests/JSON/PTNFixture.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The file's bytes without the trailing newline, so the value's range is the whole array.
    static func bytes(_ name: String) throws -> [UInt8] {
        let url = packageRoot.appendingPathComponent("Sources/PTNServeDemo/Resources").appendingPathComponent(name)
        var bytes = [UInt8](try Data(contentsOf: url))
        while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: " ") { bytes.removeLast() }
        return bytes
    }
}
