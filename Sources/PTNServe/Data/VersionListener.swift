/// What hears of each version the reloader loads: the one hook through which another part (the change feed) follows
/// the data without the data knowing it.
protocol VersionListener: Sendable {
    /// Looks at a version just loaded, on the blocking thread pool and before it is compacted (its entries are still
    /// plain bytes); what it returns is handed to `installed` once the version is served (nil: nothing to hand).
    func examine(_ snapshot: FileSnapshot) -> (any Sendable)?
    /// What `examine` returned for one check's versions, once they are all served, in the order their files were
    /// submitted.
    func installed(round: [any Sendable]) async
    /// Files to load again although unchanged on disk, asked at the start of every check; `served` gives the version
    /// tag a file is served at.
    func versionsToReload(served: (String) -> String?) -> [String]
}
