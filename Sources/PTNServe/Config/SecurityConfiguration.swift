/// The hardening settings of `serve`: rate limits, TLS, trusted networks, connection limits and timeouts, shutdown.
/// Each starts at its option's declared default (`ServeOption.all`).
package struct SecurityConfiguration: Sendable {
    /// Per-key and per-address rate limits (`--rate-limit`, `--ip-rate-limit`, `--trust-proxy`).
    package var rateLimits: RateLimitConfiguration = .init(
        keyRate: ServeOption.defaultValue(\.security.rateLimits.keyRate),
        addressRate: ServeOption.defaultValue(\.security.rateLimits.addressRate),
        trustProxy: ServeOption.defaultValue(\.security.rateLimits.trustProxy)
    )
    /// PEM certificate chain for HTTPS (`--tls-cert`); nil, with `tlsPrivateKeyPath`, serves plain HTTP.
    package var tlsCertificatePath: String?
    /// The certificate's private key (`--tls-key`).
    package var tlsPrivateKeyPath: String?
    /// Networks allowed to connect (`--allow-from`); empty allows everyone.
    package var allowFrom: [CIDR] = []
    /// Most simultaneous connections (`--max-connections`); further ones are closed at once.
    package var maxConnections: Int = ServeOption.defaultValue(\.security.maxConnections)
    /// A connection without a complete request head for this long is closed (`--idle-timeout`): idle keep-alive
    /// connections and slowloris clients dribbling a request head alike.
    package var idleTimeout: Duration = ServeOption.defaultValue(\.security.idleTimeout)
    /// Once a request head arrived, its body must arrive within this (`--read-timeout`).
    package var readTimeout: Duration = ServeOption.defaultValue(\.security.readTimeout)
    /// How long SIGTERM/SIGINT wait for in-flight responses before cancelling them (`--shutdown-deadline`).
    package var shutdownDeadline: Duration = ServeOption.defaultValue(\.security.shutdownDeadline)

    package init() {}

    /// The certificate and key for HTTPS when both are set; nil serves plain HTTP.
    package var tls: TLSFiles? {
        get {
            guard let tlsCertificatePath, let tlsPrivateKeyPath else { return nil }
            return TLSFiles(certificatePath: tlsCertificatePath, privateKeyPath: tlsPrivateKeyPath)
        }
        set {
            tlsCertificatePath = newValue?.certificatePath
            tlsPrivateKeyPath = newValue?.privateKeyPath
        }
    }
}
