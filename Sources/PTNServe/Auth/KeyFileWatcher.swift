import Foundation
import Logging

/// Re-reads the key file on every poll and puts each valid edit in force; a malformed edit keeps the last good keys.
struct KeyFileWatcher: PeriodicCheck {
    let path: String
    let keys: AtomicSnapshot<APIKeySet>
    let logger: Logger
    let metrics: ServeMetrics?
    /// Comparing contents, not mtimes, catches edits made within one mtime tick, tier-only edits included.
    private var lastSeen: Data?
    private var reportedMissing = false

    /// `contents` is what the keys in force were read from.
    init(path: String, keys: AtomicSnapshot<APIKeySet>, contents: Data?, logger: Logger, metrics: ServeMetrics? = nil) {
        self.path = path
        self.keys = keys
        self.lastSeen = contents
        self.logger = logger
        self.metrics = metrics
    }

    mutating func run() async {
        guard let contents = FileManager.default.contents(atPath: path) else {
            if !reportedMissing {
                logger.warning("key file is missing or unreadable; keeping the keys in force")
                reportedMissing = true
            }
            return
        }
        reportedMissing = false
        guard contents != lastSeen else { return }
        lastSeen = contents
        reload(contents)
    }

    private func reload(_ contents: Data) {
        do {
            let (newKeys, warnings) = try APIKeyFile.parse(contents)
            for warning in warnings { logger.warning("key file entry skipped", metadata: ["reason": "\(warning)"]) }
            keys.store(newKeys)
            metrics?.keyFileReloads("applied").increment()
            logger.info("key file reloaded", metadata: ["keys": "\(newKeys.count)"])
        } catch {
            metrics?.keyFileReloads("rejected").increment()
            logger.warning("key file edit rejected; keeping the keys in force", metadata: ["reason": "\(error.description)"])
        }
    }
}
