import CompressNIO
import NIOCore

/// Gzip compression and strict decompression of whole buffers.
public enum Gzip {
    /// Why the gzip form of a file could not be read.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Compresses `bytes` into a gzip member. Level 1 by default: reloads run every 15 s and speed matters more than
    /// the last few percent of size.
    public static func compress(_ bytes: ByteBuffer, level: ZlibConfiguration.CompressionLevel = .fastestCompression) throws
        -> ByteBuffer
    {
        var input = bytes
        return try input.compress(with: .gzip(configuration: .init(compressionLevel: level)))
    }

    /// Decompresses a complete gzip member, refusing truncated or corrupt input (a half-written `.gz` file).
    public static func decompress(_ bytes: ByteBuffer, maxSize: Int = 4 << 30) throws -> ByteBuffer {
        // A gzip member is at least a 10-byte header and an 8-byte trailer.
        guard bytes.readableBytes >= 18 else { throw Failure(description: "gzip data is truncated") }
        var input = bytes
        let output: ByteBuffer
        do {
            output = try input.decompress(with: .gzip(), maxSize: maxSize)
        } catch {
            throw Failure(description: "gzip data is truncated or corrupt")
        }
        // The trailer's ISIZE is the uncompressed length mod 2^32; zlib has already checked the CRC when it saw the end.
        guard let isize = bytes.getInteger(at: bytes.readerIndex + bytes.readableBytes - 4, endianness: .little, as: UInt32.self),
            isize == UInt32(truncatingIfNeeded: output.readableBytes)
        else { throw Failure(description: "gzip data is truncated or corrupt") }
        return output
    }
}
