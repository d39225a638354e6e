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
        let compressed = try input.compress(with: .gzip(configuration: .init(compressionLevel: level)))
        // The compressor allocates for the worst case (about the input's size); snapshots keep these buffers for their
        // whole life, so copy the few bytes actually used into a buffer of their own size.
        return ByteBuffer(bytes: compressed.readableBytesView)
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

extension Gzip {
    /// Inflates an already validated gzip member piece by piece, so a 150 MB document never sits in memory at once.
    public static func inflateInPieces(
        _ bytes: ByteBuffer,
        pieceSize: Int = 256 * 1024,
        _ emit: (ByteBuffer) async throws -> Void
    ) async throws {
        let decompressor = CompressionAlgorithm.gzip().decompressor
        try decompressor.startStream()
        defer { try? decompressor.finishStream() }
        var input = bytes
        while input.readableBytes > 0 {
            var window = ByteBufferAllocator().buffer(capacity: pieceSize)
            let before = input.readableBytes
            do {
                try input.decompressStream(to: &window, with: decompressor)
            } catch let error as CompressNIOError where error == .bufferOverflow || error == .inputBufferOverflow {
                // The window is full (emit it and go on) or zlib wants more room; both just mean "continue".
            }
            if window.readableBytes > 0 {
                try await emit(window)
            } else if input.readableBytes == before {
                throw Failure(description: "gzip data is truncated or corrupt")
            }
        }
    }
}
