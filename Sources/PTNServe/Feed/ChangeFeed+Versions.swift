// The data's side: each version loaded is diffed against its file's baseline, and the round published once served.
extension ChangeFeed {
    /// The differences between `snapshot` and the last version of its file the feed has seen, or nil when the file is not
    /// followed. Blocking (hashes the version): run it on the blocking pool, beside the load.
    func diff(_ snapshot: FileSnapshot) -> VersionDiff? {
        guard let file = files[snapshot.file.name] else { return nil }
        // A follower replica does not diff: the writer's events reach it through the journal.
        guard let baseline = state.withLock({ $0.writing ? .some($0.baselines[file.name]) : nil }) else { return nil }
        let started = ThreadCPUTime.now()
        let diff = VersionDiff.compute(file, snapshot: snapshot, baseline: baseline)
        metrics.diffed(file.name, cpuSeconds: ThreadCPUTime.now() - started)
        return diff
    }
}

extension ChangeFeed: VersionListener {
    func examine(_ snapshot: FileSnapshot) -> (any Sendable)? { diff(snapshot) }

    func installed(round: [any Sendable]) async {
        await publish(round.compactMap { $0 as? VersionDiff })
    }
}
