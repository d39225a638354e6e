import Foundation
import NIOCore

/// One loaded and validated version of a served file. Immutable: requests read it while the next one is built.
public final class FileSnapshot: Sendable {
    /// Which file this is.
    public let file: ServedFile
    /// The JSON document and its gzip form (for `.gz` files, the very bytes on disk).
    public let body: JSONBody
    /// What the file's content is indexed by.
    public let index: Index
    /// The on-disk version this was loaded from.
    public let signature: FileSignature
    /// When this version was swapped in.
    public let loadedAt: Date
    /// ETag and Last-Modified of this version.
    public let version: ContentVersion
    /// Whether the compression pass has run (see `SnapshotLoader.compact`): until then gzip forms may be missing and a
    /// tier file's miners are slices of its whole inflated document.
    public let isCompact: Bool

    /// The per-kind index built at load time, so lookups are dictionary hits on slices of `body`.
    public enum Index: Sendable {
        case positions(PositionsIndex)
        case statistics(StatisticsIndex)
        case opaque
    }

    init(file: ServedFile, body: JSONBody, index: Index, signature: FileSignature, isCompact: Bool, loadedAt: Date = Date()) {
        self.file = file
        self.body = body
        self.index = index
        self.signature = signature
        self.isCompact = isCompact
        self.loadedAt = loadedAt
        self.version = ContentVersion(file: file, signature: signature)
    }

    /// The same version with a compacted body and index: same ETag, same load time.
    func replacing(body: JSONBody, index: Index) -> FileSnapshot {
        FileSnapshot(file: file, body: body, index: index, signature: signature, isCompact: true, loadedAt: loadedAt)
    }

    /// The positions index, for output.json and the tier files.
    public var positions: PositionsIndex? {
        if case .positions(let index) = index { return index }
        return nil
    }

    /// The statistics index, for minerstatistics.json.
    public var statistics: StatisticsIndex? {
        if case .statistics(let index) = index { return index }
        return nil
    }
}
