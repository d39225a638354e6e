import Foundation
import Logging
import NIOPosix

/// Decides, per served file of the route table, when a new version on disk should be loaded, and installs the ones
/// that prove valid. One load path for start-up and reloads: the files are loaded in parallel on NIO's blocking pool.
struct DataReloader: Sendable {
    let root: URL
    let table: RouteTable
    let store: DataStore
    let logger: Logger
    /// Where each load and failure is recorded for `/ready` and the metrics.
    let status: DataFileStatusBoard
    /// The last version tried per file, loaded or not: a broken version is not re-read until it changes.
    private var attempted: [String: Attempt] = [:]
    /// Each file's index plan, fixed by the table at start.
    private let plans: [String: IndexPlan]
    /// Where each installed version's differences go (nil: no change feed).
    var feed: ChangeFeed?

    private struct Attempt: Sendable {
        let signature: FileSignature
        let succeeded: Bool
    }

    /// A writer may change a file within one mtime tick without changing its size; versions this young that failed
    /// are retried until they settle.
    static let settleTime: Duration = .seconds(2)

    init(root: URL, table: RouteTable, store: DataStore, logger: Logger, status: DataFileStatusBoard = DataFileStatusBoard()) {
        self.root = root
        self.table = table
        self.store = store
        self.logger = logger
        self.status = status
        self.plans = Dictionary(uniqueKeysWithValues: table.files.map { ($0.name, table.indexPlan(for: $0.name)) })
        status.register(table.files)
    }

    /// Checks every file once and loads what changed, all files at once on the blocking pool (start-up takes the
    /// longest load, not the sum). Stored `.gz` files with entries are compacted before they are installed, so their
    /// inflated documents are gone before the next loads pile up; the rest is compacted right after (`compactAll`).
    mutating func checkAll() async {
        var changed = [(file: ServedFile, candidate: Candidate)]()
        for file in table.files {
            if let candidate = changedCandidate(of: file) { changed.append((file, candidate)) }
        }
        let (plans, feed) = (self.plans, self.feed)
        let results = await withTaskGroup(of: (Int, Result<(FileSnapshot, VersionDiff?), Error>).self) { group in
            for (position, item) in changed.enumerated() {
                group.addTask {
                    do {
                        let loaded = try await NIOThreadPool.singleton.runIfActive {
                            let loaded = try SnapshotLoader.load(item.file, plan: plans[item.file.name] ?? IndexPlan(), path: item.candidate.path)
                            // Diffed before the compression pass, while the entries are still plain bytes.
                            let diff = feed?.diff(loaded)
                            return (loaded.body.identity == nil ? try SnapshotLoader.compact(loaded) : loaded, diff)
                        }
                        return (position, .success(loaded))
                    } catch {
                        return (position, .failure(error))
                    }
                }
            }
            var results = [Int: Result<(FileSnapshot, VersionDiff?), Error>]()
            for await (position, result) in group { results[position] = result }
            return results
        }
        for (position, item) in changed.enumerated() {
            record(item.file, item.candidate, result: results[position]!.map { $0.0 })
        }
        // Published once installed (a follower who then asks the REST routes gets the version the events describe),
        // the round's diffs together.
        if let feed {
            await feed.publish(changed.indices.compactMap { if case .success((_, let diff?)) = results[$0] { diff } else { nil } })
        }
        if !changed.isEmpty { MemoryRelease.returnFreedMemory() }
    }

    /// Runs the compression pass (`SnapshotLoader.compact`) on every served version that has not had it, on the
    /// blocking thread pool, swapping each result in for the version it was made from.
    func compactAll() async {
        var compactedAny = false
        for file in table.files {
            guard let snapshot = store.snapshot(file.name), !snapshot.isCompact else { continue }
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

    /// One polling round: load what changed, then compact it.
    mutating func poll() async {
        await checkAll()
        await compactAll()
    }

    private struct Candidate: Sendable {
        let path: String
        let signature: FileSignature
    }

    /// The newest existing location of `file` if it differs from the last version tried (or is a young failure).
    private mutating func changedCandidate(of file: ServedFile) -> Candidate? {
        let existing = file.candidates.compactMap { relative -> Candidate? in
            let path = root.appendingPathComponent(relative).path
            return FileSignature.of(path: path).map { Candidate(path: path, signature: $0) }
        }
        guard let newest = existing.max(by: { $0.signature.modified < $1.signature.modified }) else {
            if attempted[file.name] != nil, store.snapshot(file.name) != nil {
                logger.warning("data file disappeared; still serving its last good version", metadata: ["file": "\(file)"])
                status.recordDisappeared(file)
            }
            attempted[file.name] = nil
            return nil
        }
        if let last = attempted[file.name], last.signature == newest.signature {
            let age = Date().timeIntervalSince1970 - newest.signature.modifiedSeconds
            guard !last.succeeded, age < Double(Self.settleTime.components.seconds) else { return nil }
        }
        return newest
    }

    private mutating func record(_ file: ServedFile, _ candidate: Candidate, result: Result<FileSnapshot, Error>) {
        switch result {
        case .success(let snapshot):
            store.install(snapshot)
            let problems = routeProblems(snapshot)
            status.recordLoaded(file, routeProblems: problems)
            attempted[file.name] = Attempt(signature: snapshot.signature, succeeded: true)
            logger.info("loaded data file", metadata: ["file": "\(file)", "bytes": "\(snapshot.body.identityLength)"])
            for (route, reason) in problems.sorted(by: { $0.key < $1.key }) {
                logger.warning(
                    "route cannot answer from this file; it answers 404 until a version of the right shape loads",
                    metadata: ["route": "\(route)", "file": "\(file)", "reason": "\(reason)"]
                )
            }
        case .failure(let error):
            attempted[file.name] = Attempt(signature: candidate.signature, succeeded: false)
            status.recordFailure(file, reason: Self.reason(error))
            let keeping = store.snapshot(file.name) == nil ? "nothing to serve yet" : "still serving the last good version"
            logger.warning("data file not loaded; \(keeping)", metadata: ["file": "\(file)", "reason": "\(Self.reason(error))"])
        }
    }

    /// The routes that cannot answer from `snapshot` (its document lacks the shape they read), with the reason.
    private func routeProblems(_ snapshot: FileSnapshot) -> [String: String] {
        let users = plans[snapshot.file.name]?.users ?? [:]
        var problems = [String: String]()
        for (source, reason) in snapshot.index.shapeProblems {
            for route in users[source] ?? [] { problems[route] = reason }
        }
        return problems
    }

    private static func reason(_ error: Error) -> String {
        if let failure = error as? SnapshotLoader.Failure { return failure.description }
        return "the loader is shutting down"
    }
}
