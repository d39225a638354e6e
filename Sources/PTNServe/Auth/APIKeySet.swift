import Crypto
import Foundation

/// An immutable set of accepted keys, looked up by the SHA-256 of the presented key.
public struct APIKeySet: Sendable {
    private let clients: [Data: APIClient]

    /// One accepted key as read from the key file.
    public struct Entry: Sendable {
        public let alias: String
        public let key: String
        public let tier: Int
    }

    public init(_ entries: [Entry]) {
        var clients = [Data: APIClient]()
        for entry in entries {
            clients[Self.digest(entry.key)] = APIClient(alias: entry.alias, tier: entry.tier)
        }
        self.clients = clients
    }

    /// Number of distinct keys.
    public var count: Int { clients.count }

    /// The client holding `key`, or nil. Hashing first means no comparison runs over the key's own bytes.
    public func client(for key: String) -> APIClient? {
        clients[Self.digest(key)]
    }

    private static func digest(_ key: String) -> Data { Data(SHA256.hash(data: Data(key.utf8))) }
}
