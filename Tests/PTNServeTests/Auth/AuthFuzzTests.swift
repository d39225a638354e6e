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

    @Test("mutated key files never crash the parser; a refusal is a Failure, never a trap", arguments: seeds)
    func mutatedKeyFiles(seed: UInt64) {
        var random = SplitMix64(seed: seed &* 7919)
        for _ in 0..<300 {
            var bytes = [UInt8](Self.keyFile(&random).0)
            for _ in 0..<Int.random(in: 1...6, using: &random) where !bytes.isEmpty {
                let position = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes[position] = UInt8.random(in: 0...255, using: &random)
                case 1: bytes.remove(at: position)
                default: bytes.insert(Array(#"{}[]",:\0"#.utf8).randomElement(using: &random)!, at: position)
                }
            }
            _ = try? APIKeyFile.parse(Data(bytes))
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
