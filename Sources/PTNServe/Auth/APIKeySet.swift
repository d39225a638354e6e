import Crypto
import Foundation

/// An immutable set of accepted keys, looked up by the SHA-256 of the presented key.
///
/// Key hygiene: the set stores only digests, and a lookup hashes the presented key and finds the digest in a hash
/// table, so no comparison ever runs over secret key bytes (nothing to time); a key file may hold the digests alone
/// (`key_sha256`), so a leaked key file does not leak keys.
package struct APIKeySet: Sendable {
    private let clients: [Data: APIClient]

    /// One accepted key as read from the key file: the SHA-256 of the key, never the key itself.
    package struct Entry: Sendable {
        package let alias: String
        package let digest: Data
        package let tier: Int
        package let rate: RateSpec?
        /// Quota, expiry and route scope.
        package var plan: KeyPlan

        /// An entry for a key given in clear (PTN's form).
        package init(alias: String, key: String, tier: Int, rate: RateSpec? = nil, plan: KeyPlan = .unlimited) {
            self.init(alias: alias, digest: APIKeySet.digest(key), tier: tier, rate: rate, plan: plan)
        }

        /// An entry for a key given by its SHA-256 (`key_sha256`).
        package init(alias: String, digest: Data, tier: Int, rate: RateSpec? = nil, plan: KeyPlan = .unlimited) {
            self.alias = alias
            self.digest = digest
            self.tier = tier
            self.rate = rate
            self.plan = plan
        }
    }

    package init(_ entries: [Entry]) {
        var clients = [Data: APIClient]()
        for entry in entries {
            clients[entry.digest] = APIClient(alias: entry.alias, tier: entry.tier, rate: entry.rate, plan: entry.plan)
        }
        self.clients = clients
    }

    /// Every key's holder (alias, tier, rate), by alias: what the console lists. Never a key or a digest.
    package var holders: [APIClient] {
        clients.values.sorted { $0.alias < $1.alias }
    }

    /// Number of distinct keys.
    package var count: Int { clients.count }

    /// The client holding `key`, or nil. Hashing first means no comparison runs over the key's own bytes.
    package func client(for key: String) -> APIClient? {
        clients[Self.digest(key)]
    }

    /// The client holding the key whose SHA-256 is `digest`, or nil: an open stream looks its key up again this way,
    /// to see it revoked or its plan changed, without keeping the key itself.
    package func client(forDigest digest: Data) -> APIClient? {
        clients[digest]
    }

    /// SHA-256 of a key's UTF-8 bytes: what the set stores and what `key_sha256` holds (in hex).
    package static func digest(_ key: String) -> Data { Data(SHA256.hash(data: Data(key.utf8))) }
}
