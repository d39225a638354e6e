import Foundation

/// Parses the key file: PTN's `{"alias": "key" | {"key": "...", "tier": N}}` or the seed's `["key", ...]`.
public enum APIKeyFile {
    /// Why a key file was refused. Names entries by alias or position, never by key.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Parses a key file's bytes. Entries that cannot be used are skipped and reported in `warnings`.
    public static func parse(_ data: Data) throws(Failure) -> (keys: APIKeySet, warnings: [String]) {
        let decoder = JSONDecoder()
        var entries = [APIKeySet.Entry]()
        var warnings = [String]()
        if let object = try? decoder.decode([String: RawEntry].self, from: data) {
            for (alias, raw) in object.sorted(by: { $0.key < $1.key }) {
                switch raw {
                case .key(let key):
                    entries.append(.init(alias: alias, key: key, tier: 100))
                case .object(let key, let tier):
                    entries.append(.init(alias: alias, key: key, tier: tier))
                case .unusable(let reason):
                    warnings.append("\"\(alias)\" \(reason); skipped")
                }
            }
        } else if let list = try? decoder.decode([RawEntry].self, from: data) {
            // The seed's hard-coded list: every key had full access.
            for (position, raw) in list.enumerated() {
                guard case .key(let key) = raw else {
                    warnings.append("entry \(position) is not a non-empty string; skipped")
                    continue
                }
                entries.append(.init(alias: "key-\(position)", key: key, tier: 100))
            }
        } else if (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil {
            throw Failure(description: "the top level must be an object of alias → key or a list of keys")
        } else {
            throw Failure(description: "not valid JSON")
        }
        return (APIKeySet(entries), warnings)
    }

    /// One value of the key file, decoded leniently so that one bad entry does not reject the others.
    private enum RawEntry: Decodable {
        case key(String)
        case object(key: String, tier: Int)
        case unusable(String)

        private enum Field: String, CodingKey { case key, tier }

        init(from decoder: any Decoder) throws {
            if let key = try? decoder.singleValueContainer().decode(String.self) {
                self = key.isEmpty ? .unusable("has an empty key") : .key(key)
                return
            }
            guard let fields = try? decoder.container(keyedBy: Field.self) else {
                self = .unusable("is neither a key string nor an object")
                return
            }
            guard let key = try? fields.decode(String.self, forKey: .key), !key.isEmpty else {
                self = .unusable("has no \"key\" string")
                return
            }
            // PTN reads a missing tier as 0.
            guard fields.contains(.tier) else {
                self = .object(key: key, tier: 0)
                return
            }
            guard let tier = try? fields.decode(Int.self, forKey: .tier) else {
                self = .unusable("has a \"tier\" that is not an integer")
                return
            }
            self = .object(key: key, tier: tier)
        }
    }

    /// How to create a key file, for error messages at start-up.
    public static let example = #"{"alice": {"key": "<a long random string>", "tier": 100}}"#
}
