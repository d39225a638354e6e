import Foundation
import Logging
import ServiceLifecycle

/// Re-reads the certificate and key files on every poll and puts a changed pair in force for new connections; a pair
/// that does not load (a renewal half-written, a key not matching) is refused with a warning and the old one stays.
public struct CertificateWatcherService: Service {
    let store: TLSContextStore
    let interval: Duration
    let logger: Logger

    public init(store: TLSContextStore, interval: Duration, logger: Logger) {
        self.store = store
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown { [self] in
            var lastSeen = contents()
            while !Task.isCancelled {
                // Cancelled at graceful shutdown: stop quietly, not as a failure.
                guard (try? await Task.sleep(for: interval)) != nil else { return }
                let now = contents()
                guard now != lastSeen else { continue }
                lastSeen = now
                do throws(TLSContextStore.TLSLoadError) {
                    try store.reload()
                    logger.info("TLS certificate reloaded", metadata: ["certificate": "\(store.files.certificatePath)"])
                } catch {
                    logger.warning("TLS certificate change refused; keeping the certificate in force", metadata: ["reason": "\(error.description)"])
                }
            }
        }
    }

    private func contents() -> [Data?] {
        [FileManager.default.contents(atPath: store.files.certificatePath), FileManager.default.contents(atPath: store.files.privateKeyPath)]
    }
}
