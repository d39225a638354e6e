import NIOSSL

extension TLSFiles {
    /// Loads the files into a server context; throws a message naming the file at fault.
    func makeContext() throws(TLSLoadError) -> NIOSSLContext {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        } catch {
            throw TLSLoadError(description: "TLS certificate \(certificatePath) is not a readable PEM certificate: \(error)")
        }
        guard !chain.isEmpty else { throw TLSLoadError(description: "TLS certificate \(certificatePath) holds no certificate") }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: privateKeyPath, format: .pem)
        } catch {
            throw TLSLoadError(description: "TLS key \(privateKeyPath) is not a readable PEM private key")
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
