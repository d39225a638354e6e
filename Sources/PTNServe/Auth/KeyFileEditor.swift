import Crypto
import Foundation

/// What `ptn-serve keys add|list|revoke` do to a key file: edits one entry, keeps every other entry as it was, and
/// writes the file atomically (a temporary file renamed over it) so the running server never reads half a file.
public struct KeyFileEditor {
    /// The key file.
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Why an edit was refused.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// One line of `keys list`: never the key, only how it is stored.
    public struct Listing: Sendable, Equatable {
        public let alias: String
        public let tier: Int
        public let rate: String?
        public let hashed: Bool
    }

    /// Generates a key for `alias`, stores its SHA-256 (or the key itself with `plain`), and returns the key: the only
    /// time it is ever shown.
    public func add(alias: String, tier: Int, rate: RateSpec?, plain: Bool) throws(Failure) -> String {
        guard !alias.isEmpty else { throw Failure(description: "the name must not be empty") }
        var entries = try readEntries(creating: true)
        guard entries[alias] == nil else { throw Failure(description: "\"\(alias)\" already exists; revoke it first") }
        let key = Self.generateKey()
        var entry: [String: Any] = ["tier": tier]
        if plain { entry["key"] = key } else { entry["key_sha256"] = APIKeySet.digest(key).map { String(format: "%02x", $0) }.joined() }
        if let rate { entry["rate"] = rate.description }
        entries[alias] = entry
        try write(entries)
        return key
    }

    /// Removes `alias`'s entry.
    public func revoke(alias: String) throws(Failure) {
        var entries = try readEntries(creating: false)
        guard entries.removeValue(forKey: alias) != nil else { throw Failure(description: "no key named \"\(alias)\" in \(path)") }
        try write(entries)
    }

    /// The entries, by alias.
    public func list() throws(Failure) -> [Listing] {
        try readEntries(creating: false).sorted { $0.key < $1.key }.map { alias, value in
            guard let object = value as? [String: Any] else { return Listing(alias: alias, tier: 100, rate: nil, hashed: false) }
            return Listing(
                alias: alias,
                tier: (object["tier"] as? NSNumber)?.intValue ?? 0,
                rate: object["rate"] as? String,
                hashed: object["key"] == nil && object["key_sha256"] != nil
            )
        }
    }

    /// 32 random bytes from the system's CSPRNG, as 43 URL-safe base64 characters behind a recognisable prefix.
    static func generateKey() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let base64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return "ptn_" + base64
    }

    private func readEntries(creating: Bool) throws(Failure) -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: path) else {
            if creating, !FileManager.default.fileExists(atPath: path) { return [:] }
            throw Failure(description: "\(path) does not exist or cannot be read")
        }
        let parsed = try? JSONSerialization.jsonObject(with: data)
        if parsed is [Any] {
            throw Failure(description: "\(path) is the seed's list form; turn it into {\"name\": \"key\", ...} first")
        }
        guard let object = parsed as? [String: Any] else { throw Failure(description: "\(path) is not a JSON object of keys") }
        return object
    }

    private func write(_ entries: [String: Any]) throws(Failure) {
        let data: Data
        do {
            data = try JSONSerialization.data(withJSONObject: entries, options: [.prettyPrinted, .sortedKeys])
        } catch {
            throw Failure(description: "could not encode the key file")
        }
        let existingMode = (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
        do {
            // An existing file keeps its mode (the operator chose it); new files are 0600.
            try KeyFileWriter.write(data + Data("\n".utf8), to: path, mode: existingMode ?? 0o600)
        } catch {
            throw Failure(description: error.description)
        }
    }
}
