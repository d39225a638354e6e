import Foundation
import Logging
import ServiceLifecycle

/// Re-reads the key file on every poll and puts each valid edit in force; a malformed edit keeps the last good keys.
public struct KeyFileWatcherService: Service {
    private let path: String
    private let store: APIKeyStore
    private let interval: Duration
    private let logger: Logger
    private let initialContents: Data?
    private let metrics: ServeMetrics?

    init(path: String, store: APIKeyStore, initialContents: Data?, interval: Duration, logger: Logger, metrics: ServeMetrics? = nil) {
        self.path = path
        self.store = store
        self.initialContents = initialContents
        self.interval = interval
        self.logger = logger
        self.metrics = metrics
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown { [self] in
            // Comparing contents, not mtimes, catches edits made within one mtime tick, tier-only edits included.
            var lastSeen = initialContents
            var reportedMissing = false
            while !Task.isCancelled {
                // Cancelled at graceful shutdown: stop quietly, not as a failure (which made the exit code 1).
                guard (try? await Task.sleep(for: interval)) != nil else { return }
                guard let contents = FileManager.default.contents(atPath: path) else {
                    if !reportedMissing {
                        logger.warning("key file is missing or unreadable; keeping the keys in force")
                        reportedMissing = true
                    }
                    continue
                }
                reportedMissing = false
                guard contents != lastSeen else { continue }
                lastSeen = contents
                reload(contents)
            }
        }
    }

    private func reload(_ contents: Data) {
        do {
            let (keys, warnings) = try APIKeyFile.parse(contents)
            for warning in warnings { logger.warning("key file entry skipped", metadata: ["reason": "\(warning)"]) }
            store.replace(with: keys)
            metrics?.keyFileReloads("applied").increment()
            logger.info("key file reloaded", metadata: ["keys": "\(keys.count)"])
        } catch {
            metrics?.keyFileReloads("rejected").increment()
            logger.warning("key file edit rejected; keeping the keys in force", metadata: ["reason": "\(error.description)"])
        }
    }
}
