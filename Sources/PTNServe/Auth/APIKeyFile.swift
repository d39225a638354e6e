import Foundation

/// Parses the key file: PTN's `{"alias": "key" | {"key": "...", "tier": N}}` or the seed's `["key", ...]`.
public enum APIKeyFile {
    /// Why a key file was refused. Names entries by alias or position, never by key.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Parses a key file's bytes. Entries that cannot be used are skipped and reported in `warnings`.
    public static func parse(_ data: Data) throws(Failure) -> (keys: APIKeySet, warnings: [String]) {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw Failure(description: "not valid JSON")
        }
        var entries = [APIKeySet.Entry]()
        var warnings = [String]()
        if let list = root as? [Any] {
            // The seed's hard-coded list: every key had full access.
            for (position, value) in list.enumerated() {
                guard let key = value as? String, !key.isEmpty else {
                    warnings.append("entry \(position) is not a non-empty string; skipped")
                    continue
                }
                entries.append(.init(alias: "key-\(position)", key: key, tier: 100))
            }
        } else if let object = root as? [String: Any] {
            for alias in object.keys.sorted() {
                switch object[alias] {
                case let key as String where !key.isEmpty:
                    entries.append(.init(alias: alias, key: key, tier: 100))
                case let fields as [String: Any]:
                    guard let key = fields["key"] as? String, !key.isEmpty else {
                        warnings.append("\"\(alias)\" has no \"key\" string; skipped")
                        continue
                    }
                    guard let tier = tierValue(fields["tier"]) else {
                        warnings.append("\"\(alias)\" has a \"tier\" that is not an integer; skipped")
                        continue
                    }
                    entries.append(.init(alias: alias, key: key, tier: tier))
                default:
                    warnings.append("\"\(alias)\" is neither a key string nor an object; skipped")
                }
            }
        } else {
            throw Failure(description: "the top level must be an object of alias → key or a list of keys")
        }
        return (APIKeySet(entries), warnings)
    }

    /// PTN reads a missing tier as 0.
    private static func tierValue(_ value: Any?) -> Int? {
        guard let value else { return 0 }
        if let number = value as? NSNumber, !(value is Bool), let tier = Int(exactly: number.doubleValue) { return tier }
        return nil
    }

    /// How to create a key file, for error messages at start-up.
    public static let example = #"{"alice": {"key": "<a long random string>", "tier": 100}}"#
}
