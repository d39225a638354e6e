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

    /// Loads a version from bytes already in memory: validated and indexed, not yet compressed (see `compact`).
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
            case .positions, .tieredPositions:
                index = .positions(try PositionsIndex(document: document))
            case .statistics:
                index = .statistics(try StatisticsIndex(document: document))
            case .eliminations, .minerCopying, .checkpoint:
                try document.withUnsafeReadableBytes { try JSONScanner.validate($0) }
                index = .opaque
            }
            let body: JSONBody
            switch encoding {
            case .gzip:
                // Keep the (~5-10× smaller) file as it is and inflate for the rare client that refuses gzip. Once compacted,
                // nothing keeps the inflated document: a tier file's index then holds its own compressed entries.
                body = JSONBody(gzipOnly: bytes, identityLength: document.readableBytes)
            case .json:
                body = JSONBody(identity: document)
            }
            let isCompact = file == .checkpoint
            return FileSnapshot(file: file, body: body, index: index, signature: signature, isCompact: isCompact)
        } catch let failure as Failure {
            throw failure
        } catch let error as JSONScanError {
            throw Failure(description: "invalid JSON: \(error.description)")
        } catch {
            throw Failure(description: "cannot load: \(error)")
        }
    }

    /// The compression pass, run after `snapshot` is already served: the whole-document gzip forms of JSON files and
    /// a tier file's per-miner gzip entries. Kept off the load so a new version (and the server at start-up) is served
    /// as soon as it is validated; until then clients that accept gzip get identity JSON, which HTTP allows.
    static func compact(_ snapshot: FileSnapshot) throws(Failure) -> FileSnapshot {
        guard !snapshot.isCompact else { return snapshot }
        do {
            var body = snapshot.body
            if let identity = body.identity, body.gzip == nil {
                body = JSONBody(identity: identity, gzip: try Gzip.compress(identity))
            }
            var index = snapshot.index
            switch (snapshot.file, snapshot.index) {
            case (.tieredPositions, .positions(let positions)):
                index = .positions(try positions.compressingEntries())
            case (_, .statistics(let statistics)):
                index = .statistics(try statistics.compressingWholeBody())
            default:
                break
            }
            return snapshot.replacing(body: body, index: index)
        } catch {
            throw Failure(description: "cannot compress: \(error)")
        }
    }
}
