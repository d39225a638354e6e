/// The PEM files HTTPS is served with (`--tls-cert`, `--tls-key`).
package struct TLSFiles: Sendable, Equatable {
    /// Certificate chain, leaf first.
    package var certificatePath: String
    /// The leaf's private key.
    package var privateKeyPath: String

    package init(certificatePath: String, privateKeyPath: String) {
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
    }
}
