import Foundation

/// The last key a connection presented and its SHA-256: a keep-alive client sends the same key with every request, so
/// the fast lane hashes it once per connection. It compares only with what this connection itself sent before.
struct KeyDigestMemo {
    private var last: (key: String, digest: Data)?

    /// SHA-256 of `key`'s UTF-8 bytes, as `APIKeySet.digest`.
    mutating func digest(_ key: String) -> Data {
        if let last, last.key == key { return last.digest }
        let digest = APIKeySet.digest(key)
        last = (key, digest)
        return digest
    }
}
