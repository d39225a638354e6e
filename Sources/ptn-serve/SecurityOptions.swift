import ArgumentParser
import PTNServe

/// The `serve` flags of the security section: rate limits, TLS, `--allow-from`, connection limits, timeouts.
struct SecurityOptions: ParsableArguments {
    @Option(help: "Requests per key without its own \"rate\" in the key file: N/s, N/min or N/h.")
    var rateLimit = "600/min"

    @Option(help: "Requests without a valid key, per client address: N/s, N/min or N/h.")
    var ipRateLimit = "60/min"

    @Flag(help: "Take the client address from the last X-Forwarded-For entry (only behind a proxy that sets it).")
    var trustProxy = false

    @Option(help: "PEM certificate chain: serve HTTPS (with --tls-key). Reloaded when the file changes.")
    var tlsCert: String?

    @Option(help: "PEM private key of --tls-cert.")
    var tlsKey: String?

    @Option(help: "Accept connections only from these networks, e.g. 10.0.0.0/8,2001:db8::/32. Default: everyone.")
    var allowFrom: String?

    @Option(help: "Most simultaneous connections; further ones are closed at once.")
    var maxConnections = 1000

    @Option(help: "Seconds a connection may wait without sending a complete request head.")
    var idleTimeout = 60

    @Option(help: "Seconds a request's body may take to arrive after its head.")
    var readTimeout = 10

    @Option(help: "Seconds SIGTERM/SIGINT wait for in-flight responses before stopping.")
    var shutdownDeadline = 10

    func configuration() throws -> SecurityConfiguration {
        guard let keyRate = RateSpec(parsing: rateLimit) else { throw ValidationError("--rate-limit must be N/s, N/min or N/h, got \(rateLimit)") }
        guard let addressRate = RateSpec(parsing: ipRateLimit) else {
            throw ValidationError("--ip-rate-limit must be N/s, N/min or N/h, got \(ipRateLimit)")
        }
        var tls: TLSFiles?
        switch (tlsCert, tlsKey) {
        case (let cert?, let key?): tls = TLSFiles(certificatePath: cert, privateKeyPath: key)
        case (nil, nil): tls = nil
        default: throw ValidationError("--tls-cert and --tls-key go together")
        }
        let networks: [CIDR]
        do { networks = try allowFrom.map { try CIDR.parseList($0) } ?? [] } catch { throw ValidationError("--allow-from: \(error)") }
        if allowFrom != nil, networks.isEmpty { throw ValidationError("--allow-from needs at least one network") }
        for (name, value) in [("--max-connections", maxConnections), ("--idle-timeout", idleTimeout), ("--read-timeout", readTimeout)] where value < 1 {
            throw ValidationError("\(name) must be at least 1")
        }
        return SecurityConfiguration(
            rateLimits: .init(keyRate: keyRate, addressRate: addressRate, trustProxy: trustProxy),
            tls: tls,
            allowFrom: networks,
            maxConnections: maxConnections,
            idleTimeout: .seconds(idleTimeout),
            readTimeout: .seconds(readTimeout),
            shutdownDeadline: .seconds(max(0, shutdownDeadline))
        )
    }
}
