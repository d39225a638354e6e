import Foundation

/// Names one version of a response's content, for `ETag` and `Last-Modified`.
struct ContentVersion: Sendable, Equatable {
    /// The entity tag without quotes; a new file version always gives a new tag.
    let tag: String
    /// The file's modification time as an HTTP date.
    let lastModified: String
    /// The same instant, whole seconds since the epoch (HTTP dates have no finer resolution).
    let lastModifiedSeconds: Int64

    /// The version of a file loaded from `signature`.
    init(file: ServedFile, signature: FileSignature) {
        var hash = FNV1a()
        hash.add(file.description)
        for value in [Int64(bitPattern: signature.device), Int64(bitPattern: signature.inode), Int64(signature.size), signature.modified] {
            hash.add(value)
        }
        self.tag = String(hash.value, radix: 16)
        self.lastModifiedSeconds = signature.modified / 1_000_000_000
        self.lastModified = HTTPDate.format(seconds: lastModifiedSeconds)
    }

    private init(tag: String, lastModified: String, lastModifiedSeconds: Int64) {
        self.tag = tag
        self.lastModified = lastModified
        self.lastModifiedSeconds = lastModifiedSeconds
    }

    /// The version of a part or rendering of the file (one miner, the hotkey list), distinct per `variant`.
    func variant(_ variant: String) -> ContentVersion {
        var hash = FNV1a()
        hash.add(variant)
        return ContentVersion(tag: tag + "-" + String(hash.value, radix: 16), lastModified: lastModified, lastModifiedSeconds: lastModifiedSeconds)
    }
}

/// 64-bit FNV-1a: a fast, stable hash for entity tags (not a security boundary).
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ text: String) {
        for byte in text.utf8 { add(byte) }
    }

    mutating func add(_ number: Int64) {
        for shift in stride(from: 0, to: 64, by: 8) { add(UInt8(truncatingIfNeeded: number >> Int64(shift))) }
    }

    private mutating func add(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x100_0000_01b3
    }
}
