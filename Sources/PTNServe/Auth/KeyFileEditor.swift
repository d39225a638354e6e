import Crypto
import Foundation

/// What `ptn-serve keys add|list|revoke` do to a key file: edits one entry, keeps every other entry as it was, and
/// writes the file atomically (a temporary file renamed over it) so the running server never reads half a file.
package struct KeyFileEditor: Sendable {
    /// The key file.
    package let path: String

    package init(path: String) {
        self.path = path
    }

    /// Why an edit was refused.
    package struct Failure: Error, CustomStringConvertible {
        /// What went wrong, for callers that word it themselves (the console names no file).
        package enum Kind: Sendable, Equatable {
            case invalid, exists, unknownAlias, unreadable, unwritable
        }

        package let kind: Kind
        /// The message for the operator at the command line; it may name the file.
        package let description: String

        init(_ kind: Kind, _ description: String) {
            self.kind = kind
            self.description = description
        }
    }

    /// One line of `keys list`: never the key, only how it is stored.
    package struct Listing: Sendable, Equatable {
        package let alias: String
        package let tier: Int
        package let rate: String?
        package let hashed: Bool
        /// Quota, expiry and routes (`.unlimited` for an entry without them or with malformed ones).
        package let plan: KeyPlan

        init(alias: String, tier: Int, rate: String?, hashed: Bool, plan: KeyPlan = .unlimited) {
            (self.alias, self.tier, self.rate, self.hashed, self.plan) = (alias, tier, rate, hashed, plan)
        }
    }

    /// Generates a key for `alias`, stores its SHA-256 (or the key itself with `plain`), and returns the key: the only
    /// time it is ever shown.
    package func add(alias: String, tier: Int, rate: RateSpec?, plain: Bool, plan: KeyPlan = .unlimited) throws(Failure) -> String {
        guard !alias.isEmpty else { throw Failure(.invalid, "the name must not be empty") }
        var entries = try readEntries(creating: true)
        guard entries[alias] == nil else { throw Failure(.exists, "\"\(alias)\" already exists; revoke it first") }
        let key = Self.generateKey()
        var entry: [String: Any] = ["tier": tier]
        if plain { entry["key"] = key } else { entry["key_sha256"] = APIKeySet.digest(key).map { String(format: "%02x", $0) }.joined() }
        if let rate { entry["rate"] = rate.description }
        entry.merge(plan.keyFileFields) { _, new in new }
        entries[alias] = entry
        try write(entries)
        return key
    }

    /// Changes `alias`'s tier, rate (`.some(nil)` returns it to the server's default rate) and plan; the key stays as stored.
    package func change(alias: String, tier: Int?, rate: RateSpec??, plan: KeyPlanChange = .init()) throws(Failure) {
        var entries = try readEntries(creating: false)
        guard let existing = entries[alias] else { throw Failure(.unknownAlias, "no key named \"\(alias)\" in \(path)") }
        // PTN's plain form (`"alias": "key"`) is a tier-100 key without options: it becomes an object to carry them.
        var entry: [String: Any] = (existing as? [String: Any]) ?? ["key": existing, "tier": 100]
        if let tier { entry["tier"] = tier }
        switch rate {
        case .some(.some(let spec)): entry["rate"] = spec.description
        case .some(.none): entry.removeValue(forKey: "rate")
        case .none: break
        }
        entry = plan.apply(to: entry)
        entries[alias] = entry
        try write(entries)
    }

    /// Removes `alias`'s entry.
    package func revoke(alias: String) throws(Failure) {
        var entries = try readEntries(creating: false)
        guard entries.removeValue(forKey: alias) != nil else { throw Failure(.unknownAlias, "no key named \"\(alias)\" in \(path)") }
        try write(entries)
    }

    /// The entries, by alias.
    package func list() throws(Failure) -> [Listing] {
        try readEntries(creating: false).sorted { $0.key < $1.key }.map { alias, value in
            guard let object = value as? [String: Any] else { return Listing(alias: alias, tier: 100, rate: nil, hashed: false, plan: .unlimited) }
            return Listing(
                alias: alias,
                tier: (object["tier"] as? NSNumber)?.intValue ?? 0,
                rate: object["rate"] as? String,
                hashed: object["key"] == nil && object["key_sha256"] != nil,
                plan: (try? KeyPlan(entry: object, alias: alias)) ?? .unlimited
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
            throw Failure(.unreadable, "\(path) does not exist or cannot be read")
        }
        let parsed = try? JSONSerialization.jsonObject(with: data)
        if parsed is [Any] {
            throw Failure(.unreadable, "\(path) is the seed's list form; turn it into {\"name\": \"key\", ...} first")
        }
        guard let object = parsed as? [String: Any] else { throw Failure(.unreadable, "\(path) is not a JSON object of keys") }
        return object
    }

    private func write(_ entries: [String: Any]) throws(Failure) {
        let data: Data
        do {
            data = try JSONSerialization.data(withJSONObject: entries, options: [.prettyPrinted, .sortedKeys])
        } catch {
            throw Failure(.unwritable, "could not encode the key file")
        }
        let existingMode = (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
        do {
            // An existing file keeps its mode (the operator chose it); new files are 0600.
            try KeyFileWriter.write(data + Data("\n".utf8), to: path, mode: existingMode ?? 0o600)
        } catch {
            throw Failure(.unwritable, error.description)
        }
    }
}
