import Foundation
import NIOCore

/// One loaded and validated version of a served file. Immutable: requests read it while the next one is built.
final class FileSnapshot: Sendable {
    /// Which file this is.
    let file: ServedFile
    /// The JSON document and its gzip form (for `.gz` files, the very bytes on disk).
    let body: JSONBody
    /// What the routes reading this file look up in it.
    let index: FileIndex
    /// The on-disk version this was loaded from.
    let signature: FileSignature
    /// When this version was swapped in.
    let loadedAt: Date
    /// ETag and Last-Modified of this version.
    let version: ContentVersion
    /// Whether the compression pass has run (see `SnapshotLoader.compact`): until then gzip forms may be missing and
    /// the entries of a stored `.gz` file are slices of its whole inflated document.
    let isCompact: Bool

    init(file: ServedFile, body: JSONBody, index: FileIndex, signature: FileSignature, isCompact: Bool, loadedAt: Date = Date()) {
        self.file = file
        self.body = body
        self.index = index
        self.signature = signature
        self.isCompact = isCompact
        self.loadedAt = loadedAt
        self.version = ContentVersion(file: file, signature: signature)
    }

    /// The same version with a compacted body and index: same ETag, same load time.
    func replacing(body: JSONBody, index: FileIndex) -> FileSnapshot {
        FileSnapshot(file: file, body: body, index: index, signature: signature, isCompact: true, loadedAt: loadedAt)
    }

    /// The entries of `source`, or nil when the document lacks that shape (or the plan did not ask for it).
    func entries(_ source: EntrySource) -> KeyedEntries? {
        if case .success(let entries) = index.entries[source] { return entries }
        return nil
    }
}
