import Foundation
import Logging
import NIOCore
import NIOPosix

/// Decides, per served file of the route table, when a new version on disk should be loaded, and installs the ones
/// that prove valid.
struct DataReloader: PeriodicCheck {
    let root: URL
    let table: RouteTable
    let store: DataStore
    let logger: Logger
    /// Where each load and failure is recorded for `/ready` and the metrics.
    let status: DataFileStatusBoard
    /// Where loads and compression run: blocking work, kept off the event loops and the cooperative pool.
    let threadPool: NIOThreadPool
    /// Each file's index plan, fixed by the table at start.
    private let plans: [String: IndexPlan]
    /// The last version tried per file, loaded or not: a broken version is not re-read until it changes.
    private var attempted: [String: Attempt] = [:]
    /// Hears of each version loaded (the change feed), if anything does.
    let listener: (any VersionListener)?

    private struct Attempt: Sendable {
        let signature: FileSignature
        let succeeded: Bool
    }

    /// A writer may change a file within one mtime tick without changing its size; versions this young that failed
    /// are retried until they settle.
    static let settleTime: Duration = .seconds(2)

    init(
        root: URL,
        table: RouteTable,
        store: DataStore,
        logger: Logger,
        status: DataFileStatusBoard = DataFileStatusBoard(),
        listener: (any VersionListener)? = nil,
        threadPool: NIOThreadPool = .singleton
    ) {
        self.root = root
        self.table = table
        self.store = store
        self.logger = logger
        self.status = status
        self.listener = listener
        self.threadPool = threadPool
        self.plans = Dictionary(uniqueKeysWithValues: table.files.map { ($0.name, table.indexPlan(for: $0.name)) })
        status.register(table.files)
    }

    /// Checks every file once and loads what changed: the pass start-up awaits before the port opens and every poll
    /// repeats. The loads run side by side on NIO's blocking thread pool, so they take the longest load rather than
    /// the sum and hold up neither request threads nor Swift's cooperative pool. The remaining compression
    /// (whole-document gzip forms) is left to `compactAll`, once the new versions are served.
    mutating func checkAll() async {
        // Versions the listener missed (the feed: this replica just became the writer, or an append failed) are
        // loaded again, so it hears of them.
        for name in listener?.versionsToReload(served: { store.snapshot($0)?.version.tag }) ?? [] { attempted[name] = nil }
        var changed = [(file: ServedFile, candidate: Candidate)]()
        for file in table.files {
            if let candidate = changedCandidate(of: file) { changed.append((file, candidate)) }
        }
        guard !changed.isEmpty else { return }
        // Files kept only compressed first: their inflated documents are compacted away inside their load, so they
        // pass before the others pile up. Submitted in this order (the pool runs its queue in order), all at once.
        let work = changed.sorted { a, _ in a.candidate.path.hasSuffix(".gz") }
        let eventLoop = MultiThreadedEventLoopGroup.singleton.any()
        let listener = self.listener
        let loads = work.map { item in
            threadPool.runIfActive(eventLoop: eventLoop) { [plan = plans[item.file.name] ?? IndexPlan()] in
                try Self.load(item.file, plan: plan, path: item.candidate.path, listener: listener)
            }
        }
        // Each version is served as soon as its own load is done, not after the slowest.
        var findings = [(index: Int, finding: any Sendable)]()
        await withTaskGroup(of: (index: Int, result: Result<(FileSnapshot, (any Sendable)?), Error>).self) { group in
            for (index, load) in loads.enumerated() {
                group.addTask {
                    do { return (index, .success(try await load.get())) } catch { return (index, .failure(error)) }
                }
            }
            for await (index, result) in group {
                record(work[index].file, work[index].candidate, result: result.map { $0.0 })
                if case .success((_, let finding?)) = result { findings.append((index, finding)) }
            }
        }
        // Told once installed (a feed follower who then asks the REST routes gets the version the events describe),
        // the round's findings together, in the order the files were submitted.
        await listener?.installed(round: findings.sorted { $0.index < $1.index }.map(\.finding))
        MemoryRelease.returnFreedMemory()
    }

    /// Loads one version and has the listener examine it (before the compression pass, while the entries are still
    /// plain bytes: the feed diffs it against its last). A document kept only compressed (a stored `.gz` with entries, such as PTN's tier files) is
    /// compacted right here, so its inflated document (~6x the file) is gone before the next loads: four of them held
    /// at once made the start-up peak.
    private static func load(
        _ file: ServedFile, plan: IndexPlan, path: String, listener: (any VersionListener)?
    ) throws(SnapshotLoader.Failure) -> (FileSnapshot, (any Sendable)?) {
        let snapshot = try SnapshotLoader.load(file, plan: plan, path: path)
        let finding = listener?.examine(snapshot)
        return (snapshot.body.identity == nil ? try SnapshotLoader.compact(snapshot) : snapshot, finding)
    }

    /// Runs the compression pass (`SnapshotLoader.compact`) on every served version that has not had it, on the
    /// blocking thread pool, swapping each result in for the version it was made from.
    func compactAll() async {
        var compactedAny = false
        for file in table.files {
            guard let snapshot = store.snapshot(file.name), !snapshot.isCompact else { continue }
            do {
                let compacted = try await threadPool.runIfActive { try SnapshotLoader.compact(snapshot) }
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

extension DataReloader {
    /// What start-up loaded is served already: compress it now, beside the first requests.
    func start() async {
        await compactAll()
    }

    /// One poll: load what changed, then compress it.
    mutating func run() async {
        await checkAll()
        await compactAll()
    }
}
