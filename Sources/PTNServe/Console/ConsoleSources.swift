import Foundation

/// What the operator console reads and changes: the route table and its files' state, the keys in force and the key
/// file they come from, the change feed, and the traffic figures.
struct ConsoleSources: Sendable {
    let table: RouteTable
    let store: DataStore
    let fileStatus: DataFileStatusBoard
    let staleAfter: Duration
    let feed: ChangeFeed?
    let keys: AtomicSnapshot<APIKeySet>
    let traffic: TrafficRecorder
    /// The key file the console edits (with the same code as `ptn-serve keys`); never shown.
    let keyFilePath: String
    /// The keys' use of their quotas, for the plans in the keys view.
    let meter: UsageMeter?

    init(
        table: RouteTable, store: DataStore, fileStatus: DataFileStatusBoard, staleAfter: Duration, feed: ChangeFeed?,
        keys: AtomicSnapshot<APIKeySet>, traffic: TrafficRecorder, keyFilePath: String, meter: UsageMeter? = nil
    ) {
        self.table = table
        self.store = store
        self.fileStatus = fileStatus
        self.staleAfter = staleAfter
        self.feed = feed
        self.keys = keys
        self.traffic = traffic
        self.keyFilePath = keyFilePath
        self.meter = meter
    }
}
