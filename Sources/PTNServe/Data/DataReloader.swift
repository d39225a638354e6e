import Foundation
import Logging
import NIOPosix
import Synchronization

/// Decides, per served file, when a new version on disk should be loaded, and installs the ones that prove valid.
struct DataReloader: Sendable {
    let root: URL
    let store: DataStore
    let logger: Logger
    /// Where each load and failure is recorded for `/ready` and the metrics.
    let status: DataFileStatusBoard
    /// The last version tried per file, loaded or not: a broken version is not re-read until it changes.
    private var attempted: [ServedFile: Attempt] = [:]

    private struct Attempt: Sendable {
        let signature: FileSignature
        let succeeded: Bool
    }

    /// A writer may change a file within one mtime tick without changing its size; versions this young that failed
    /// are retried until they settle.
    static let settleTime: Duration = .seconds(2)

    init(root: URL, store: DataStore, logger: Logger, status: DataFileStatusBoard = DataFileStatusBoard()) {
        self.root = root
        self.store = store
        self.logger = logger
        self.status = status
    }

    /// Checks every file once and loads what changed, blocking the caller (start-up, before the port opens). The
    /// remaining compression (whole-document gzip forms) is left to `compactAll`, once requests are served.
    mutating func checkAllBlocking() {
        var changed = [(file: ServedFile, candidate: Candidate)]()
        for file in ServedFile.allCases {
            if let candidate = changedCandidate(of: file) { changed.append((file, candidate)) }
        }
        // The checkpoint first: its inflated document is only checked and dropped, so it passes before the others pile up.
        let work = changed.sorted { $0.file == .checkpoint && $1.file != .checkpoint }
        // The files are independent: load them on every core, so start-up takes the longest load, not the sum.
        let results = Mutex([Int: Result<FileSnapshot, Error>]())
        DispatchQueue.concurrentPerform(iterations: work.count) { index in
            let (file, candidate) = work[index]
            let result = Result<FileSnapshot, Error> {
                let snapshot = try SnapshotLoader.load(file, path: candidate.path, encoding: candidate.encoding)
                // A tier file is compacted right here, so its inflated document (~6x the file) is gone before the next
                // loads: four of them held until the port opens made the start-up peak.
                if case .tieredPositions = file { return try SnapshotLoader.compact(snapshot) }
                return snapshot
            }
            results.withLock { $0[index] = result }
        }
        let loaded = results.withLock { $0 }
        for (index, item) in work.enumerated() {
            record(item.file, item.candidate, result: loaded[index]!)
        }
        MemoryRelease.returnFreedMemory()
    }

    /// Checks every file once, loading changed ones on the blocking thread pool so request threads are not held up;
    /// then compacts what was loaded.
    mutating func checkAll() async {
        for file in ServedFile.allCases {
            guard let candidate = changedCandidate(of: file) else { continue }
            let result: Result<FileSnapshot, Error>
            do {
                result = .success(
                    try await NIOThreadPool.singleton.runIfActive {
                        try SnapshotLoader.load(file, path: candidate.path, encoding: candidate.encoding)
                    }
                )
            } catch {
                result = .failure(error)
            }
            record(file, candidate, result: result)
        }
        await compactAll()
    }

    /// Runs the compression pass (`SnapshotLoader.compact`) on every served version that has not had it, on the
    /// blocking thread pool, swapping each result in for the version it was made from.
    func compactAll() async {
        var compactedAny = false
        for file in ServedFile.allCases {
            guard let snapshot = store.snapshot(file), !snapshot.isCompact else { continue }
            do {
                let compacted = try await NIOThreadPool.singleton.runIfActive { try SnapshotLoader.compact(snapshot) }
                compactedAny = store.replace(snapshot, with: compacted) || compactedAny
            } catch {
                // The uncompacted version stays served (identity JSON, more memory); the next version tries again.
                logger.warning("data file not compressed", metadata: ["file": "\(file)", "reason": "\(Self.reason(error))"])
            }
        }
        if compactedAny { MemoryRelease.returnFreedMemory() }
    }

    private struct Candidate: Sendable {
        let path: String
        let encoding: ServedFile.Encoding
        let signature: FileSignature
    }

    /// The newest existing location of `file` if it differs from the last version tried (or is a young failure).
    private mutating func changedCandidate(of file: ServedFile) -> Candidate? {
        let existing = file.candidates.compactMap { candidate -> Candidate? in
            let path = root.appendingPathComponent(candidate.path).path
            return FileSignature.of(path: path).map { Candidate(path: path, encoding: candidate.encoding, signature: $0) }
        }
        guard let newest = existing.max(by: { $0.signature.modified < $1.signature.modified }) else {
            if attempted[file] != nil, store.snapshot(file) != nil {
                logger.warning("data file disappeared; still serving its last good version", metadata: ["file": "\(file)"])
                status.recordDisappeared(file)
            }
            attempted[file] = nil
            return nil
        }
        if let last = attempted[file], last.signature == newest.signature {
            let age = Date().timeIntervalSince1970 - newest.signature.modifiedSeconds
            guard !last.succeeded, age < Double(Self.settleTime.components.seconds) else { return nil }
        }
        return newest
    }

    private mutating func record(_ file: ServedFile, _ candidate: Candidate, result: Result<FileSnapshot, Error>) {
        switch result {
        case .success(let snapshot):
            store.install(snapshot)
            status.recordLoaded(file)
            attempted[file] = Attempt(signature: snapshot.signature, succeeded: true)
            logger.info(
                "loaded data file",
                metadata: ["file": "\(file)", "bytes": "\(snapshot.body.identityLength)"]
            )
        case .failure(let error):
            attempted[file] = Attempt(signature: candidate.signature, succeeded: false)
            status.recordFailure(file, reason: Self.reason(error))
            let keeping = store.snapshot(file) == nil ? "nothing to serve yet" : "still serving the last good version"
            logger.warning(
                "data file not loaded; \(keeping)",
                metadata: ["file": "\(file)", "reason": "\(Self.reason(error))"]
            )
        }
    }

    private static func reason(_ error: Error) -> String {
        if let failure = error as? SnapshotLoader.Failure { return failure.description }
        return "the loader is shutting down"
    }
}
