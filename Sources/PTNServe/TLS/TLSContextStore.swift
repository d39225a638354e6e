import Atomics
import Foundation
import NIOSSL

/// The TLS context new connections use. Each accepted connection reads it lock-free; the certificate watcher swaps
/// in a new one when the PEM files change, so renewals (certbot, ACME clients) need no restart.
public final class TLSContextStore: Sendable {
    public let files: TLSFiles
    private let current: ManagedAtomic<Box>

    private final class Box: AtomicReference, Sendable {
        let context: NIOSSLContext
        init(_ context: NIOSSLContext) { self.context = context }
    }

    /// Loads the files; throws a message naming the file at fault.
    public init(files: TLSFiles) throws(TLSLoadError) {
        self.files = files
        self.current = ManagedAtomic(Box(try Self.makeContext(files)))
    }

    /// The context for a connection accepted now.
    var context: NIOSSLContext { current.load(ordering: .acquiring).context }

    /// Rebuilds the context from the files; on failure the context in force stays.
    func reload() throws(TLSLoadError) {
        current.store(Box(try Self.makeContext(files)), ordering: .releasing)
    }

    /// Why the certificate or key could not be used.
    public struct TLSLoadError: Error, CustomStringConvertible {
        public let description: String
    }

    static func makeContext(_ files: TLSFiles) throws(TLSLoadError) -> NIOSSLContext {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(files.certificatePath)
        } catch {
            throw TLSLoadError(description: "TLS certificate \(files.certificatePath) is not a readable PEM certificate: \(error)")
        }
        guard !chain.isEmpty else { throw TLSLoadError(description: "TLS certificate \(files.certificatePath) holds no certificate") }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: files.privateKeyPath, format: .pem)
        } catch {
            throw TLSLoadError(description: "TLS key \(files.privateKeyPath) is not a readable PEM private key")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.applicationProtocols = ["http/1.1"]
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw TLSLoadError(description: "TLS certificate and key do not form a usable pair: \(error)")
        }
    }
}
