import Crypto

/// Deterministic values derived from SHA-256 of a seed and a label: sub-seeds, UUIDs and API keys.
enum DemoDigest {
    static func bytes(seed: UInt64, label: String) -> [UInt8] {
        Array(SHA256.hash(data: Array("\(seed)/\(label)".utf8)))
    }

    /// A 64-bit seed for one part of the data set, so parts do not shift when another part draws more numbers.
    static func subSeed(seed: UInt64, label: String) -> UInt64 {
        bytes(seed: seed, label: label).prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// A version-4, variant-1 UUID string made from the digest, so the tier hash of each new position varies.
    static func uuid(seed: UInt64, label: String) -> String {
        var raw = Array(bytes(seed: seed, label: label).prefix(16))
        raw[6] = raw[6] & 0x0F | 0x40
        raw[8] = raw[8] & 0x3F | 0x80
        let hex = hexString(raw)
        let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(hex[hex.index(hex.startIndex, offsetBy: range.lowerBound)..<hex.index(hex.startIndex, offsetBy: range.upperBound)])
        }
        return groups.joined(separator: "-")
    }

    static func hexString(_ raw: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef")
        return String(raw.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] })
    }
}
