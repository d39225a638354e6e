/// A fast 64-bit hash of a byte range, eight bytes at a time: tells an unchanged entry or item from a changed one
/// without parsing it. Not a security boundary (a file's writer could make collisions; it can write the file anyway).
enum ByteHash {
    static func of(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(range.count)
        var offset = range.lowerBound
        while offset + 8 <= range.upperBound {
            hash = mix(hash, bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < range.upperBound {
            tail |= UInt64(bytes[offset]) << shift
            shift += 8
            offset += 1
        }
        hash = mix(hash, tail)
        // Final avalanche (the murmur3 finalizer), so nearby inputs spread over all 64 bits.
        hash ^= hash >> 33
        hash &*= 0xFF51_AFD7_ED55_8CCD
        hash ^= hash >> 33
        hash &*= 0xC4CE_B9FE_1A85_EC53
        return hash ^ (hash >> 33)
    }

    private static func mix(_ hash: UInt64, _ word: UInt64) -> UInt64 {
        ((hash ^ (word &* 0x8767_2E3C_5B1A_3D91)).rotatedLeft(by: 29)) &* 0x9E37_79B9_7F4A_7C15
    }
}

extension UInt64 {
    fileprivate func rotatedLeft(by count: UInt64) -> UInt64 { (self << count) | (self >> (64 - count)) }
}
