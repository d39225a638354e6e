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

    /// Loads a version from bytes already in memory.
    static func load(
        _ file: ServedFile,
        bytes: ByteBuffer,
        encoding: ServedFile.Encoding,
        signature: FileSignature
    ) throws(Failure) -> FileSnapshot {
        do {
            let body: JSONBody
            switch encoding {
            case .gzip:
                let json: ByteBuffer
                do { json = try Gzip.decompress(bytes) } catch { throw Failure(description: "\(error)") }
                body = JSONBody(identity: json, gzip: bytes)
            case .json:
                body = JSONBody(identity: bytes, gzip: nil)
            }
            let index: FileSnapshot.Index
            switch file {
            case .positions, .tieredPositions:
                index = .positions(try PositionsIndex(document: body.identity))
            case .statistics:
                index = .statistics(try StatisticsIndex(document: body.identity))
            case .eliminations, .minerCopying, .checkpoint:
                try body.identity.withUnsafeReadableBytes { try JSONScanner.validate($0) }
                index = .none
            }
            // Compress only after the document proved valid: a half-written file costs a scan, not a compression.
            let served = try body.gzip == nil ? JSONBody(identity: body.identity, gzip: Gzip.compress(body.identity)) : body
            return FileSnapshot(file: file, body: served, index: index, signature: signature)
        } catch let failure as Failure {
            throw failure
        } catch let error as JSONScanError {
            throw Failure(description: "invalid JSON: \(error.description)")
        } catch {
            throw Failure(description: "cannot load: \(error)")
        }
    }
}
