import NIOCore

/// What one loaded version is indexed by, per the route table's `IndexPlan`: each source's entries and each whole-file
/// cut, or why the document lacks that shape (the routes reading it answer 404; the others go on).
struct FileIndex: Sendable {
    /// Keyed entries per source.
    let entries: [EntrySource: Result<KeyedEntries, EntryLayout.ShapeError>]
    /// The whole document without a field in each entry of a source.
    let wholeCuts: [IndexPlan.Cut: Result<JSONBody, EntryLayout.ShapeError>]

    init(entries: [EntrySource: Result<KeyedEntries, EntryLayout.ShapeError>], wholeCuts: [IndexPlan.Cut: Result<JSONBody, EntryLayout.ShapeError>]) {
        self.entries = entries
        self.wholeCuts = wholeCuts
    }

    /// Indexes a document per `plan`, validating it: the top-level members scan (when the plan reads them) validates
    /// in the same pass, so the document is scanned once more only when it has to be.
    static func build(document: ByteBuffer, plan: IndexPlan) throws -> FileIndex {
        var entries = [EntrySource: Result<KeyedEntries, EntryLayout.ShapeError>]()
        var wholeCuts = [IndexPlan.Cut: Result<JSONBody, EntryLayout.ShapeError>]()
        try document.withUnsafeReadableBytes { bytes in
            var validated = false
            if let fields = plan.entries[.members] {
                entries[.members] = try layout(bytes, .members, fields).map {
                    KeyedEntries(document: document, layout: $0, parts: plan.parts[.members], wrapped: plan.wrapped.contains(.members))
                }
                if case .success = entries[.members] { validated = true }
            }
            if !validated { try JSONScanner.validate(bytes) }
            for (source, fields) in plan.entries where source != .members {
                entries[source] = try layout(bytes, source, fields).map {
                    KeyedEntries(document: document, layout: $0, parts: plan.parts[source], wrapped: plan.wrapped.contains(source))
                }
            }
            for cut in plan.wholeCuts {
                wholeCuts[cut] = try layout(bytes, cut.source, [cut.field]).map { layout in
                    let ranges = layout.entries.compactMap { $0.cuts[cut.field] }
                    return JSONBody(identity: ByteBuffer(bytes: copyBytes(bytes, range: 0 ..< bytes.count, omitting: ranges)))
                }
            }
        }
        return FileIndex(entries: entries, wholeCuts: wholeCuts)
    }

    /// A source's layout, or why the document lacks its shape; a JSON error is the whole version's failure.
    private static func layout(
        _ bytes: UnsafeRawBufferPointer, _ source: EntrySource, _ fields: Set<String>
    ) throws(JSONScanError) -> Result<EntryLayout, EntryLayout.ShapeError> {
        do {
            return .success(try EntryLayout.build(bytes, source: source, cutting: fields))
        } catch let shape as EntryLayout.ShapeError {
            return .failure(shape)
        } catch let json as JSONScanError {
            throw json
        } catch {
            return .failure(EntryLayout.ShapeError(description: "\(error)"))
        }
    }

    /// Why each source or cut failed, for warnings and `/ready`.
    var shapeProblems: [(EntrySource, String)] {
        entries.compactMap { source, result in
            if case .failure(let error) = result { return (source, error.description) }
            return nil
        } + wholeCuts.compactMap { cut, result in
            if case .failure(let error) = result { return (cut.source, error.description) }
            return nil
        }
    }

    /// The compression pass's share: per-entry gzip for a document kept only compressed, whole-cut gzip forms.
    func compacted(entriesOnlyCompressed: Bool, compressWhole: Bool) throws -> FileIndex {
        let entries = try self.entries.mapValues { result in
            guard entriesOnlyCompressed, case .success(let keyed) = result else { return result }
            return .success(try keyed.compressingEntries())
        }
        let wholeCuts = try self.wholeCuts.mapValues { result in
            guard compressWhole, case .success(let body) = result, let identity = body.identity, body.gzip == nil else { return result }
            return .success(JSONBody(identity: identity, gzip: try Gzip.compress(identity)))
        }
        return FileIndex(entries: entries, wholeCuts: wholeCuts)
    }
}
