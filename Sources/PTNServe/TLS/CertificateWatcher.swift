import Foundation
import Logging
import NIOSSL

/// Re-reads the certificate and key files on every poll and puts a changed pair in force for new connections; a pair
/// that does not load (a renewal half-written, a key not matching) is refused with a warning and the old one stays.
struct CertificateWatcher: PeriodicCheck {
    let files: TLSFiles
    let context: AtomicSnapshot<NIOSSLContext>
    let logger: Logger
    private var lastSeen: [Data?]

    /// `context` was just made from `files`: their contents now are the ones in force.
    init(files: TLSFiles, context: AtomicSnapshot<NIOSSLContext>, logger: Logger) {
        self.files = files
        self.context = context
        self.logger = logger
        self.lastSeen = Self.contents(files)
    }

    mutating func run() async {
        let now = Self.contents(files)
        guard now != lastSeen else { return }
        lastSeen = now
        do throws(TLSLoadError) {
            context.store(try files.makeContext())
            logger.info("TLS certificate reloaded", metadata: ["certificate": "\(files.certificatePath)"])
        } catch {
            logger.warning("TLS certificate change refused; keeping the certificate in force", metadata: ["reason": "\(error.description)"])
        }
    }

    private static func contents(_ files: TLSFiles) -> [Data?] {
        [FileManager.default.contents(atPath: files.certificatePath), FileManager.default.contents(atPath: files.privateKeyPath)]
    }
}
