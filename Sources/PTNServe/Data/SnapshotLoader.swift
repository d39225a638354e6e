import Foundation
import NIOCore

/// Turns the bytes of one file version into a validated, indexed, compressed snapshot, or says why it cannot.
enum SnapshotLoader {
    /// Why a version was not swapped in. Never carries a path: it goes into logs and `/ready` as is.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Reads and loads the file at `path`. Blocking: call it off the request path.
    static func load(_ file: ServedFile, path: String, encoding: ServedFile.Encoding) throws(Failure) -> FileSnapshot {
        let read: (bytes: ByteBuffer, signature: FileSignature)
        do {
            read = try FileReader.read(path: path)
        } catch {
            throw Failure(description: error.description)
        }
        return try load(file, bytes: read.bytes, encoding: encoding, signature: read.signature)
    }

    private static func decompress(_ bytes: ByteBuffer) throws(Failure) -> ByteBuffer {
        do { return try Gzip.decompress(bytes) } catch { throw Failure(description: "\(error)") }
    }

    /// Loads a version from bytes already in memory.
    static func load(
        _ file: ServedFile,
        bytes: ByteBuffer,
        encoding: ServedFile.Encoding,
        signature: FileSignature
    ) throws(Failure) -> FileSnapshot {
        do {
            let document = try encoding == .gzip ? decompress(bytes) : bytes
            let index: FileSnapshot.Index
            switch file {
            case .positions:
                index = .positions(try PositionsIndex(document: document, storage: .slices))
            case .tieredPositions:
                index = .positions(try PositionsIndex(document: document, storage: .compressed))
            case .statistics:
                index = .statistics(try StatisticsIndex(document: document))
            case .eliminations, .minerCopying, .checkpoint:
                try document.withUnsafeReadableBytes { try JSONScanner.validate($0) }
                index = .opaque
            }
            // Compress only after the document proved valid: a half-written file costs a scan, not a compression.
            let body: JSONBody
            switch encoding {
            case .gzip:
                // Keep the (~5-10× smaller) file as it is and inflate for the rare client that refuses gzip. Nothing keeps
                // the inflated document: the index holds its own compressed entries.
                body = JSONBody(gzipOnly: bytes, identityLength: document.readableBytes)
            case .json:
                body = JSONBody(identity: document, gzip: try Gzip.compress(document))
            }
            return FileSnapshot(file: file, body: body, index: index, signature: signature)
        } catch let failure as Failure {
            throw failure
        } catch let error as JSONScanError {
            throw Failure(description: "invalid JSON: \(error.description)")
        } catch {
            throw Failure(description: "cannot load: \(error)")
        }
    }
}
