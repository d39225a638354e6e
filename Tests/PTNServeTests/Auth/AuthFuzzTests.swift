import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import PTNServe
@testable import PTNServeDemo

/// Seeded fuzzing of everything that reads client- or operator-supplied auth input. A failing case names its seed.
@Suite("Auth parsing fuzz (seeded)")
struct AuthFuzzTests {
    static let seeds: [UInt64] = Array(1...8)

    /// A key file of random aliases, keys, tiers, rates and forms; returns the file and what it should yield.
    static func keyFile(_ random: inout SplitMix64) -> (Data, [String: APIClient]) {
        var expected = [String: APIClient]()
        var members = [String]()
        for index in 0..<Int.random(in: 1...12, using: &random) {
            let alias = "a\(index)-\(UInt32.random(in: 0...UInt32.max, using: &random))"
            let key = "k-\(index)-" + String((0..<Int.random(in: 1...40, using: &random)).map { _ in "abcXYZ019-_.~!é".randomElement(using: &random)! })
            let tier = [0, 30, 50, 100, 200, -1].randomElement(using: &random)!
            switch Int.random(in: 0..<4, using: &random) {
            case 0:
                members.append("\(json(alias)): \(json(key))")
                expected[key] = APIClient(alias: alias, tier: 100)
            case 1:
                members.append("\(json(alias)): {\"key\": \(json(key)), \"tier\": \(tier)}")
                expected[key] = APIClient(alias: alias, tier: tier)
            case 2:
                let hex = APIKeySet.digest(key).map { String(format: "%02x", $0) }.joined()
                members.append("\(json(alias)): {\"key_sha256\": \"\(hex)\", \"tier\": \(tier), \"rate\": \"7/s\"}")
                expected[key] = APIClient(alias: alias, tier: tier, rate: RateSpec(count: 7, periodSeconds: 1))
            default:
                // Unusable entries: skipped, never fatal.
                members.append("\(json(alias)): [\(json(key))]")
            }
        }
        return (Data("{\(members.joined(separator: ", "))}".utf8), expected)
    }

    static func json(_ text: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: [text], options: [.fragmentsAllowed]), as: UTF8.self).dropFirst().dropLast()
            .description
    }

    @Test("random key files parse to exactly their usable entries; warnings never quote a key", arguments: seeds)
    func keyFiles(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for round in 0..<200 {
            let (data, expected) = Self.keyFile(&random)
            let (keys, warnings) = try APIKeyFile.parse(data)
            // Duplicate keys collapse to one entry; only distinct keys count.
            #expect(keys.count == Set(expected.keys).count, "seed \(seed) round \(round)")
            for (key, client) in expected {
                let found = keys.client(for: key)
                #expect(found?.tier == client.tier && found?.rate == client.rate, "seed \(seed) round \(round)")
                #expect(!warnings.contains { $0.contains(key) }, "seed \(seed) round \(round)")
            }
        }
    }

    /// `bytes` with 1 to 6 random bytes replaced, removed or inserted (JSON punctuation, mostly).
    static func mutate(_ bytes: Data, _ random: inout SplitMix64) -> Data {
        var bytes = [UInt8](bytes)
        for _ in 0..<Int.random(in: 1...6, using: &random) where !bytes.isEmpty {
            let position = Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0..<3, using: &random) {
            case 0: bytes[position] = UInt8.random(in: 0...255, using: &random)
            case 1: bytes.remove(at: position)
            default: bytes.insert(Array(#"{}[]",:\0"#.utf8).randomElement(using: &random)!, at: position)
            }
        }
        return Data(bytes)
    }

    /// One usable entry of a key file as the oracle reads it; `key` when the file gives it in clear.
    struct OracleEntry {
        let client: APIClient
        let digest: Data
        let key: String?
    }

    /// What a key file holds, read independently of `APIKeyFile` (Foundation's JSONSerialization, the documented
    /// rules): nil when it is not a JSON object or list, else its usable entries in the order later ones win.
    static func oracle(_ data: Data) -> [OracleEntry]? {
        guard let top = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return nil }
        if let list = top as? [Any] {
            return list.enumerated().compactMap { position, value in
                guard let key = value as? String, !key.isEmpty else { return nil }
                return OracleEntry(client: APIClient(alias: "key-\(position)", tier: 100), digest: APIKeySet.digest(key), key: key)
            }
        }
        guard let object = top as? [String: Any] else { return nil }
        return object.sorted { $0.key < $1.key }.compactMap { alias, value in
            if let key = value as? String {
                return key.isEmpty ? nil : OracleEntry(client: APIClient(alias: alias, tier: 100), digest: APIKeySet.digest(key), key: key)
            }
            guard let fields = value as? [String: Any] else { return nil }
            var key: String?
            let digest: Data
            if let clear = fields["key"] as? String, !clear.isEmpty {
                key = clear
                digest = APIKeySet.digest(clear)
            } else if let hex = fields["key_sha256"] as? String, hex.utf8.count == 64, let parsed = Self.hexBytes(hex) {
                digest = parsed
            } else {
                return nil
            }
            var rate: RateSpec?
            if let value = fields["rate"] {
                guard let text = value as? String, let parsed = RateSpec(parsing: text) else { return nil }
                rate = parsed
            }
            var tier = 0
            if let value = fields["tier"] {
                // An integer, however written (1e2 included); 1.5, 1e30 or a string are not.
                guard let number = value as? Int else { return nil }
                tier = number
            }
            return OracleEntry(client: APIClient(alias: alias, tier: tier, rate: rate), digest: digest, key: key)
        }
    }

    static func hexBytes(_ hex: String) -> Data? {
        let digits = Array(hex.utf8)
        guard digits.count.isMultiple(of: 2), digits.allSatisfy({ UInt8(ascii: "0")...UInt8(ascii: "9") ~= $0 || UInt8(ascii: "a")...UInt8(ascii: "f") ~= $0 | 0x20 })
        else { return nil }
        return Data(stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)! })
    }

    @Test("a mutated key file is refused only when it is not a JSON object or list, and else yields exactly the keys it holds", arguments: seeds)
    func mutatedKeyFiles(seed: UInt64) {
        var random = SplitMix64(seed: seed &* 7919)
        for round in 0..<300 {
            let (original, generated) = Self.keyFile(&random)
            let bytes = Self.mutate(original, &random)
            let context = "seed \(seed) round \(round): \(String(decoding: bytes, as: UTF8.self).debugDescription)"
            let expected = Self.oracle(bytes)
            let parsed: APIKeySet
            do {
                parsed = try APIKeyFile.parse(bytes).keys
            } catch {
                // Refused: the key file watcher then keeps the keys in force (KeyReloadTests and the test below).
                #expect(expected == nil, "refused a usable file; \(context)")
                #expect(!generated.keys.contains { error.description.contains($0) }, "\(context)")
                continue
            }
            guard let expected else {
                Issue.record("loaded a file that is not a JSON object or list; \(context)")
                continue
            }
            // Exactly the keys it holds: as many distinct keys, each with its alias, tier and rate (a later alias wins
            // a key held twice). Keys given by digest alone are looked up through the clear key they were made from.
            var byDigest = [Data: OracleEntry]()
            for entry in expected { byDigest[entry.digest] = entry }
            #expect(parsed.count == byDigest.count, "\(context)")
            let clearKeys = Dictionary(generated.keys.map { (APIKeySet.digest($0), $0) }, uniquingKeysWith: { first, _ in first })
            for (digest, entry) in byDigest {
                guard let key = entry.key ?? clearKeys[digest] else { continue }
                #expect(parsed.client(for: key) == entry.client, "\(context)")
            }
        }
    }

    @Test(
        "mutated key files through the running server: a refused one keeps the keys in force, a loaded one puts exactly its keys in force",
        .timeLimit(.minutes(3))
    )
    func mutatedKeyFilesLive() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        var config = root.configuration()
        config.security.rateLimits.addressRate = RateSpec(count: 100_000, periodSeconds: 1)
        let log = LogRecorder()
        var random = SplitMix64(seed: 0x5EED)
        var files = [Data]()
        while files.count < 16 {
            let bytes = Self.mutate(Self.keyFile(&random).0, &random)
            if !files.contains(bytes) { files.append(bytes) }
        }
        let edits = files
        try await buildApplication(config, logger: log.logger()).test(.router) { client in
            // Keys that can travel in an Authorization header as they are.
            func sendable(_ key: String) -> Bool { key.utf8.allSatisfy { (0x21..<0x7f).contains($0) } }
            func status(_ key: String) async throws -> HTTPResponse.Status {
                try await client.execute(uri: "/miner-hotkeys", method: .get, headers: bearer(key)).status
            }
            var inForce = [TestDataRoot.Key.tier100, TestDataRoot.Key.tier0]
            var outcomes = (applied: 0, rejected: 0)
            for (index, bytes) in edits.enumerated() {
                try root.write("ptn_api/api_keys.json", bytes)
                // The server's verdict on this edit, the signal that it has been read.
                let verdict = await log.line(skipping: index) { $0.message.hasPrefix("key file reloaded") || $0.message.hasPrefix("key file edit rejected") }
                let applied = try #require(verdict).message.hasPrefix("key file reloaded")
                let context = "edit \(index): \(String(decoding: bytes, as: UTF8.self).debugDescription)"
                guard let entries = Self.oracle(bytes) else {
                    #expect(!applied, "\(context)")
                    outcomes.rejected += 1
                    for key in inForce { #expect(try await status(key) == .ok, "\(context)") }
                    continue
                }
                #expect(applied, "\(context)")
                outcomes.applied += 1
                let digests = Set(entries.map(\.digest))
                for key in inForce where !digests.contains(APIKeySet.digest(key)) { #expect(try await status(key) == .unauthorized, "\(context)") }
                inForce = entries.compactMap(\.key).filter(sendable)
                for key in inForce { #expect(try await status(key) == .ok, "\(context)") }
            }
            // Both kinds of edit were exercised.
            #expect(outcomes.applied > 0 && outcomes.rejected > 0)
        }
    }

    @Test("Authorization header values: only `Bearer <token>` yields a key, and that key is the trimmed token", arguments: seeds)
    func bearerValues(seed: UInt64) {
        var random = SplitMix64(seed: seed &+ 0xBEEF)
        let pieces = ["Bearer", "bearer", "BEARER", "Basic", " ", "  ", "\t", "k-1", "=", "Bearer ", "\u{0}", "é", ",", "Bearer\t"]
        for _ in 0..<2000 {
            let value = (0..<Int.random(in: 0...5, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            guard let key = APIKeyExtractor.bearerKey([value]) else { continue }
            let scheme = value.drop { $0 == " " }.lowercased()
            #expect(!key.isEmpty && key == key.trimmingCharacters(in: .whitespaces), "seed \(seed): \(value.debugDescription)")
            #expect(scheme.hasPrefix("bearer ") && value.contains(key), "seed \(seed): \(value.debugDescription)")
        }
    }

    @Test("random auth headers and bodies through the app: 200, 400, 401 or 413, never a 5xx", arguments: [UInt64(1), 2])
    func throughTheApp(seed: UInt64) async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        var config = root.configuration()
        config.security.rateLimits.addressRate = RateSpec(count: 100_000, periodSeconds: 1)
        var random = SplitMix64(seed: seed)
        let fragments = ["Bearer ", TestDataRoot.Key.tier0, "x", "{", "}", "\"api_key\"", ":", "\"", "[", "null", "1e999", "\\u0000", " "]
        var requests = [(HTTPFields, ByteBuffer)]()
        for _ in 0..<150 {
            var headers = HTTPFields()
            let auth = (0..<Int.random(in: 0...3, using: &random)).map { _ in fragments.randomElement(using: &random)! }.joined()
            if !auth.isEmpty { headers[.authorization] = auth }
            let body = (0..<Int.random(in: 0...6, using: &random)).map { _ in fragments.randomElement(using: &random)! }.joined()
            requests.append((headers, ByteBuffer(string: body)))
        }
        let cases = requests
        try await buildApplication(config, logger: quietLogger).test(.router) { client in
            for (headers, body) in cases {
                let response = try await client.execute(uri: "/eliminations", method: .get, headers: headers, body: body)
                #expect([200, 400, 401, 413].contains(response.status.code), "seed \(seed): \(headers) \(String(buffer: body).debugDescription)")
            }
        }
    }
}
