import Foundation
import NIOCore

/// Turns the bytes of one file version into a validated, indexed snapshot, or says why it cannot.
enum SnapshotLoader {
    /// Why a version was not swapped in. Never carries a path: it goes into logs and `/ready` as is.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Reads and loads the file at `path`. Blocking: call it off the request path.
    static func load(_ file: ServedFile, plan: IndexPlan, path: String) throws(Failure) -> FileSnapshot {
        let read: (bytes: ByteBuffer, signature: FileSignature)
        do {
            read = try FileReader.read(path: path)
        } catch {
            throw Failure(description: error.description)
        }
        return try load(file, plan: plan, bytes: read.bytes, signature: read.signature)
    }

    /// Whether `bytes` are gzip: by content (the magic number), whatever the file is called. JSON never starts so.
    static func isGzip(_ bytes: ByteBuffer) -> Bool {
        bytes.readableBytes >= 2 && bytes.getInteger(at: bytes.readerIndex, as: UInt16.self) == 0x1f8b
    }

    private static func decompress(_ bytes: ByteBuffer) throws(Failure) -> ByteBuffer {
        do { return try Gzip.decompress(bytes) } catch { throw Failure(description: "\(error)") }
    }

    /// Loads a version from bytes already in memory: validated and indexed, not yet compressed (see `compact`).
    static func load(_ file: ServedFile, plan: IndexPlan, bytes: ByteBuffer, signature: FileSignature) throws(Failure) -> FileSnapshot {
        do {
            let stored = isGzip(bytes)
            let document = stored ? try decompress(bytes) : bytes
            let index = try FileIndex.build(document: document, plan: plan)
            // Keep a stored `.gz` (~5-10× smaller) as it is, inflated for the rare client that refuses gzip. Once
            // compacted nothing keeps the inflated document: its entries then hold their own compressed bytes.
            let body = stored ? JSONBody(gzipOnly: bytes, identityLength: document.readableBytes) : JSONBody(identity: document)
            return FileSnapshot(file: file, body: body, index: index, signature: signature, isCompact: !needsCompaction(file, body, index))
        } catch let failure as Failure {
            throw failure
        } catch let error as JSONScanError {
            throw Failure(description: "invalid JSON: \(error.description)")
        } catch {
            throw Failure(description: "cannot load: \(error)")
        }
    }

    /// Whether the compression pass has anything to do: a gzip form to make, or entries to compress.
    private static func needsCompaction(_ file: ServedFile, _ body: JSONBody, _ index: FileIndex) -> Bool {
        let hasEntries = index.entries.values.contains { if case .success = $0 { true } else { false } }
        if body.identity == nil { return hasEntries }
        return file.compress && (body.gzip == nil || !index.wholeCuts.isEmpty)
    }

    /// The compression pass, run once `snapshot` is served: the whole-document gzip form of a JSON file, the gzip
    /// forms of its whole-file cuts, and per-entry gzip for a stored `.gz` file. Kept off the load so a new version
    /// is served as soon as it is validated; until then clients that accept gzip get identity JSON, which HTTP allows.
    static func compact(_ snapshot: FileSnapshot) throws(Failure) -> FileSnapshot {
        guard !snapshot.isCompact else { return snapshot }
        do {
            var body = snapshot.body
            if snapshot.file.compress, let identity = body.identity, body.gzip == nil {
                body = JSONBody(identity: identity, gzip: try Gzip.compress(identity))
            }
            let index = try snapshot.index.compacted(
                entriesOnlyCompressed: snapshot.body.identity == nil,
                compressWhole: snapshot.file.compress
            )
            return snapshot.replacing(body: body, index: index)
        } catch {
            throw Failure(description: "cannot compress: \(error)")
        }
    }
}
