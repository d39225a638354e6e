import CompressNIO
import NIOCore

/// Gzip compression and strict decompression of whole buffers.
package enum Gzip {
    /// Why the gzip form of a file could not be read.
    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    /// Compresses `bytes` into a gzip member. Level 1 by default: reloads run every 15 s and speed matters more than
    /// the last few percent of size.
    ///
    /// The input goes to zlib in pieces copied into a small buffer: the compressor takes its input mutably, and a buffer
    /// sharing a snapshot's storage would be copied whole first (the entire document, for a view of one miner).
    package static func compress(
        _ bytes: ByteBuffer,
        level: ZlibConfiguration.CompressionLevel = .fastestCompression,
        pieceSize: Int = 1 << 20
    ) throws -> ByteBuffer {
        let compressor = CompressionAlgorithm.gzip(configuration: .init(compressionLevel: level)).compressor
        try compressor.startStream()
        defer { try? compressor.finishStream() }
        var output = ByteBufferAllocator().buffer(capacity: compressor.maxSize(from: bytes))
        var piece = ByteBufferAllocator().buffer(capacity: max(1, min(pieceSize, bytes.readableBytes)))
        var offset = 0
        repeat {
            let length = min(pieceSize, bytes.readableBytes - offset)
            piece.clear()
            piece.writeImmutableBuffer(bytes.view(at: offset, length: length)!)
            offset += length
            try compressor.streamDeflate(from: &piece, to: &output, flush: offset == bytes.readableBytes ? .finish : .no)
        } while offset < bytes.readableBytes
        // The output was sized for the worst case (about the input's size) and snapshots keep these buffers for their
        // whole life: copy the bytes actually used into a buffer of their own size.
        return ByteBuffer(bytes: output.readableBytesView)
    }

    /// Decompresses a complete gzip member, refusing truncated or corrupt input (a half-written `.gz` file).
    ///
    /// The trailer's ISIZE (the document's length mod 2^32) sizes the output up front: inflating into growing buffers and
    /// joining them held about twice the document at once, and every load of a tier file or the checkpoint paid for it.
    package static func decompress(_ bytes: ByteBuffer, maxSize: Int = 4 << 30) throws -> ByteBuffer {
        // A gzip member is at least a 10-byte header and an 8-byte trailer.
        guard bytes.readableBytes >= 18,
            let isize = bytes.getInteger(at: bytes.readerIndex + bytes.readableBytes - 4, endianness: .little, as: UInt32.self)
        else { throw Failure(description: "gzip data is truncated") }
        let length = Int(isize)
        guard length <= maxSize else { throw Failure(description: "gzip data inflates beyond \(maxSize) bytes") }
        // One spare byte, so zlib still has room when it reads the trailer and reports the stream's end.
        var output = ByteBufferAllocator().buffer(capacity: length + 1)
        var input = bytes
        do {
            let decompressor = CompressionAlgorithm.gzip().decompressor
            try decompressor.startStream()
            defer { try? decompressor.finishStream() }
            try input.decompressStream(to: &output, with: decompressor)
        } catch {
            throw Failure(description: "gzip data is truncated or corrupt")
        }
        // A whole member was read (zlib checked its CRC at the end) and it inflated to exactly ISIZE bytes; a truncated
        // file stops short of both (its last four bytes are not a length that matches).
        guard input.readableBytes == 0, output.readableBytes == length else {
            throw Failure(description: "gzip data is truncated or corrupt")
        }
        return output
    }
}

extension Gzip {
    /// Inflates an already validated gzip member piece by piece, so a 150 MB document never sits in memory at once.
    package static func inflateInPieces(
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
