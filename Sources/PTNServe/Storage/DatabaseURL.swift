import Foundation
import PostgresNIO

/// `--database`: where the shared state of several replicas lives, `postgres://user[:password]@host[:port]/database`.
/// Its description leaves the password out, so the URL can be logged and shown by `config check`.
package struct DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    package let user: String
    package let password: String?
    package let host: String
    package let port: Int
    package let database: String

    /// Reads `text`; nil when it is not a `postgres://` (or `postgresql://`) URL with a user, a host and a database.
    package init?(_ text: String) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "postgres" || scheme == "postgresql",
            let user = components.user.flatMap({ $0.removingPercentEncoding }), !user.isEmpty,
            let host = components.host, !host.isEmpty
        else { return nil }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else { return nil }
        self.user = user
        self.password = components.password.flatMap { $0.removingPercentEncoding }
        self.host = host
        self.port = components.port ?? 5432
        self.database = database
    }

    /// The URL without its password.
    package var description: String {
        "postgres://\(user)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)"
    }

    /// The pooled client's settings. Loopback and private networks are the expected place of the database: no TLS.
    var clientConfiguration: PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: .disable
        )
        configuration.options.connectTimeout = .seconds(3)
        configuration.options.maximumConnections = 8
        return configuration
    }

    /// The settings of a connection of its own (the writer lock, LISTEN): not from the pool.
    var connectionConfiguration: PostgresConnection.Configuration {
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: .disable
        )
        configuration.options.connectTimeout = .seconds(3)
        return configuration
    }
}
