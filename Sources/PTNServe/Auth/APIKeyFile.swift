import Foundation

/// Parses the key file: PTN's `{"alias": "key" | {"key": "...", "tier": N}}` or the seed's `["key", ...]`; an object entry may
/// give `key_sha256` (hex) instead of `key`, a `"rate": "N/UNIT"` of its own, and a plan (`quota`, `expires`, `routes`).
package enum APIKeyFile {
    /// Why a key file was refused. Names entries by alias or position, never by key.
    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    /// Parses a key file's bytes. Entries that cannot be used are skipped and reported in `warnings`; a malformed
    /// `quota`, `expires` or `routes` refuses the whole file (a key sold with limits must never run without them).
    package static func parse(_ data: Data) throws(Failure) -> (keys: APIKeySet, warnings: [String]) {
        // JSONDecoder alone lets raw control characters and invalid UTF-8 (read as U+FFFD) through inside strings,
        // which would put in force keys other than the ones written; PTN's json.load refuses such a file too.
        guard let top = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            throw Failure(description: "not valid JSON")
        }
        let decoder = JSONDecoder()
        var entries = [APIKeySet.Entry]()
        var warnings = [String]()
        if let fields = top as? [String: Any], let object = try? decoder.decode([String: RawEntry].self, from: data) {
            for (alias, raw) in object.sorted(by: { $0.key < $1.key }) {
                switch raw {
                case .key(let key):
                    entries.append(.init(alias: alias, key: key, tier: 100))
                case .object(let digest, let tier, let rate):
                    let plan = try KeyPlan(entry: fields[alias] as? [String: Any] ?? [:], alias: alias)
                    entries.append(.init(alias: alias, digest: digest, tier: tier, rate: rate, plan: plan))
                case .unusable(let reason):
                    warnings.append("\"\(alias)\" \(reason); skipped")
                }
            }
        } else if top is [Any], let list = try? decoder.decode([RawEntry].self, from: data) {
            // The seed's hard-coded list: every key had full access.
            for (position, raw) in list.enumerated() {
                guard case .key(let key) = raw else {
                    warnings.append("entry \(position) is not a non-empty string; skipped")
                    continue
                }
                entries.append(.init(alias: "key-\(position)", key: key, tier: 100))
            }
        } else {
            throw Failure(description: "the top level must be an object of alias → key or a list of keys")
        }
        return (APIKeySet(entries), warnings)
    }

    /// One value of the key file, decoded leniently so that one bad entry does not reject the others.
    private enum RawEntry: Decodable {
        case key(String)
        case object(digest: Data, tier: Int, rate: RateSpec?)
        case unusable(String)

        private enum Field: String, CodingKey {
            case key, tier, rate
            case keySHA256 = "key_sha256"
        }

        init(from decoder: any Decoder) throws {
            if let key = try? decoder.singleValueContainer().decode(String.self) {
                self = key.isEmpty ? .unusable("has an empty key") : .key(key)
                return
            }
            guard let fields = try? decoder.container(keyedBy: Field.self) else {
                self = .unusable("is neither a key string nor an object")
                return
            }
            let digest: Data
            if let key = try? fields.decode(String.self, forKey: .key), !key.isEmpty {
                digest = APIKeySet.digest(key)
            } else if let hex = try? fields.decode(String.self, forKey: .keySHA256) {
                guard let parsed = Self.digest(hex: hex) else {
                    self = .unusable("has a \"key_sha256\" that is not 64 hexadecimal digits")
                    return
                }
                digest = parsed
            } else {
                self = .unusable("has no \"key\" string and no \"key_sha256\"")
                return
            }
            var rate: RateSpec?
            if fields.contains(.rate) {
                guard let text = try? fields.decode(String.self, forKey: .rate), let parsed = RateSpec(parsing: text) else {
                    self = .unusable("has a \"rate\" that is not N/s, N/min or N/h")
                    return
                }
                rate = parsed
            }
            // PTN reads a missing tier as 0.
            guard fields.contains(.tier) else {
                self = .object(digest: digest, tier: 0, rate: rate)
                return
            }
            guard let tier = try? fields.decode(Int.self, forKey: .tier) else {
                self = .unusable("has a \"tier\" that is not an integer")
                return
            }
            self = .object(digest: digest, tier: tier, rate: rate)
        }

        /// 64 hex digits (either case) as 32 bytes.
        static func digest(hex: String) -> Data? {
            let digits = Array(hex.utf8)
            guard digits.count == 64 else { return nil }
            var bytes = Data(capacity: 32)
            for index in stride(from: 0, to: 64, by: 2) {
                guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
                bytes.append(high << 4 | low)
            }
            return bytes
        }

        private static func nibble(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            default: nil
            }
        }
    }

    /// How to create a key file, for error messages at start-up.
    package static let example = #"{"alice": {"key": "<a long random string>", "tier": 100}}"#
}
