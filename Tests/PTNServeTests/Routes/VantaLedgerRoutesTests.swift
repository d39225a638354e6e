import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import PTNServe
@testable import PTNServeDemo

/// The `vanta` profile's file-backed routes: the debt, emissions, penalty and perf ledgers and the asset selections.
@Suite("Vanta ledger and selection routes")
struct VantaLedgerRoutesTests {
    static let hotkeyA = TestDataRoot.hotkeyA
    static let hotkeyB = TestDataRoot.hotkeyB

    /// A ledger file of the demo's shape: a summary member beside `ledgers: {hotkey: ledger}`.
    static func ledgerFile(_ kind: String) -> String {
        """
        {"created_timestamp_ms": 1764000000000, "summaries": {"\(hotkeyA)": {"total_checkpoints": 2}}, "ledgers": {\
        "\(hotkeyA)": {"hotkey": "\(hotkeyA)", "kind": "\(kind)", "total_checkpoints": 2, \
        "checkpoints": [{"timestamp_ms": 1763956800000, "value": 0.5}, {"timestamp_ms": 1764000000000, "value": 0.75}]}, \
        "\(hotkeyB)": {"hotkey": "\(hotkeyB)", "kind": "\(kind)", "total_checkpoints": 0, "checkpoints": []}}}
        """
    }

    static let perfLedgers = """
        {"\(hotkeyA)": {"portfolio": {"initialization_time_ms": 1760000000000, "max_return": 1.02, "cps": [{"gain": 0.01}]}}, \
        "\(hotkeyB)": {"portfolio": {"initialization_time_ms": 1761000000000, "max_return": 1.0, "cps": []}}}
        """

    static let assetSelections = "{\"\(hotkeyA)\": \"crypto\", \"\(hotkeyB)\": \"forex\"}"

    static let ledgerFiles = [
        "validation/debt_ledger.json.gz", "validation/emissions_ledger.json.gz", "validation/penalty_ledger.json.gz",
    ]

    /// The PTN test root plus the five Vanta files.
    static func makeRoot() throws -> TestDataRoot {
        let root = try TestDataRoot.make()
        for path in ledgerFiles {
            let kind = String(path.dropFirst("validation/".count).prefix { $0 != "_" })
            try root.write(path, try TestDataRoot.gzip(ledgerFile(kind)))
        }
        try root.write("validation/perf_ledgers.json.gz", try TestDataRoot.gzip(perfLedgers))
        try root.write("validation/asset_selections.json", assetSelections)
        return root
    }

    static func app(_ root: TestDataRoot, profile: String = "vanta") async throws -> some ApplicationProtocol {
        var config = root.configuration()
        config.profile = profile
        return try await buildApplication(config, logger: quietLogger)
    }

    static let key = bearer(TestDataRoot.Key.tier0)

    @Test("each ledger route answers the miner's member of `ledgers`, with any key; an unknown miner gets the file's 404", arguments: [
        ("/debt-ledger", "debt", "Debt ledger data not found"),
        ("/emissions-ledger", "emissions", "Emissions ledger data not found"),
        ("/penalty-ledger", "penalty", "Penalty ledger data not found"),
    ])
    func ledgerMember(_ route: String, _ kind: String, _ message: String) async throws {
        let root = try Self.makeRoot()
        defer { root.delete() }
        try await Self.app(root).test(.router) { client in
            let expected = try #require((try parseJSON(Self.ledgerFile(kind)) as? [String: Any])?["ledgers"] as? [String: Any])
            for hotkey in [Self.hotkeyA, Self.hotkeyB] {
                let response = try await client.execute(uri: "\(route)/\(hotkey)", method: .get, headers: Self.key)
                #expect(response.status == .ok && response.headers[.contentType] == "application/json")
                #expect(sameJSON(try response.json(), try #require(expected[hotkey])), "\(route)/\(hotkey): \(response.text)")
            }
            let unknown = try await client.execute(uri: "\(route)/5Nobody", method: .get, headers: Self.key)
            #expect(unknown.status == .notFound && unknown.errorMessage == message)
            #expect(try await client.execute(uri: "\(route)/\(Self.hotkeyA)", method: .get).status == .unauthorized)
        }
    }

    @Test("/debt-ledger is the whole file, sent as its stored gzip bytes unless the client refuses gzip")
    func debtLedgerWhole() async throws {
        let root = try Self.makeRoot()
        defer { root.delete() }
        try await Self.app(root).test(.router) { client in
            let response = try await client.execute(uri: "/debt-ledger", method: .get, headers: Self.key)
            #expect(response.status == .ok && response.headers[.contentEncoding] == "gzip")
            #expect(sameJSON(try response.json(), try parseJSON(Self.ledgerFile("debt"))))
            var identity = Self.key
            identity[.acceptEncoding] = "identity"
            let plain = try await client.execute(uri: "/debt-ledger", method: .get, headers: identity)
            #expect(plain.headers[.contentEncoding] == nil && plain.text == Self.ledgerFile("debt"))
        }
    }

    @Test("/perf-ledger/{hotkey} answers {hotkey: ledger}, as Vanta does; unknown miners get Vanta's 404")
    func perfLedger() async throws {
        let root = try Self.makeRoot()
        defer { root.delete() }
        try await Self.app(root).test(.router) { client in
            let ledgers = try #require(try parseJSON(Self.perfLedgers) as? [String: Any])
            for hotkey in [Self.hotkeyA, Self.hotkeyB] {
                let response = try await client.execute(uri: "/perf-ledger/\(hotkey)", method: .get, headers: Self.key)
                #expect(response.status == .ok)
                #expect(sameJSON(try response.json(), [hotkey: try #require(ledgers[hotkey])]), "\(response.text)")
                let etag = try #require(response.headers[.eTag])
                var conditional = Self.key
                conditional[.ifNoneMatch] = etag
                #expect(try await client.execute(uri: "/perf-ledger/\(hotkey)", method: .get, headers: conditional).status == .notModified)
            }
            let unknown = try await client.execute(uri: "/perf-ledger/5Nobody", method: .get, headers: Self.key)
            #expect(unknown.status == .notFound && unknown.errorMessage == "Perf ledger data not found for miner 5Nobody")
        }
    }

    @Test("/miner-selections serves asset_selections.json as written")
    func minerSelections() async throws {
        let root = try Self.makeRoot()
        defer { root.delete() }
        try await Self.app(root).test(.router) { client in
            let response = try await client.execute(uri: "/miner-selections", method: .get, headers: Self.key)
            #expect(response.status == .ok && response.text == Self.assetSelections)
        }
    }

    @Test("an absent file is each route's 404 with its own message; the other routes and /ready are unaffected")
    func absentFiles() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await Self.app(root).test(.router) { client in
            let expected = [
                ("/debt-ledger", "Debt ledger data not found"),
                ("/debt-ledger/\(Self.hotkeyA)", "Debt ledger data not found"),
                ("/emissions-ledger/\(Self.hotkeyA)", "Emissions ledger data not found"),
                ("/penalty-ledger/\(Self.hotkeyA)", "Penalty ledger data not found"),
                ("/perf-ledger/\(Self.hotkeyA)", "Perf ledger data not found"),
                ("/miner-selections", "Asset selection data not found"),
            ]
            for (uri, message) in expected {
                let response = try await client.execute(uri: uri, method: .get, headers: Self.key)
                #expect(response.status == .notFound && response.errorMessage == message, "\(uri): \(response.text)")
            }
            #expect(try await client.execute(uri: "/miner-hotkeys", method: .get, headers: Self.key).status == .ok)
            #expect(try await client.execute(uri: "/ready", method: .get).status == .ok)
        }
    }

    @Test("a ledger file without a `ledgers` object degrades only its keyed route, which answers its 404")
    func wrongShape() async throws {
        let root = try Self.makeRoot()
        defer { root.delete() }
        try root.write("validation/debt_ledger.json.gz", try TestDataRoot.gzip(#"{"ledgers": []}"#))
        try await Self.app(root).test(.router) { client in
            #expect(try await client.execute(uri: "/debt-ledger", method: .get, headers: Self.key).status == .ok)
            let member = try await client.execute(uri: "/debt-ledger/\(Self.hotkeyA)", method: .get, headers: Self.key)
            #expect(member.status == .notFound && member.errorMessage == "Debt ledger data not found")
        }
    }

    @Test("the ptn profile does not serve them: its table is unchanged")
    func notInPTN() async throws {
        let root = try Self.makeRoot()
        defer { root.delete() }
        try await Self.app(root, profile: "ptn").test(.router) { client in
            for uri in ["/debt-ledger", "/debt-ledger/\(Self.hotkeyA)", "/perf-ledger/\(Self.hotkeyA)", "/miner-selections"] {
                let response = try await client.execute(uri: uri, method: .get, headers: Self.key)
                #expect(response.status == .notFound && response.errorMessage == "Resource not found", "\(uri)")
            }
        }
    }

    @Test("the vanta demo data set is served by every vanta route")
    func demoDataSet() async throws {
        let root = TestDataRoot(url: FileManager.default.temporaryDirectory.appendingPathComponent("ptn-demo-\(UUID().uuidString)"))
        defer { root.delete() }
        let dataSet = DemoDataSet(options: .init(minerCount: 4, generationTimeMs: 1_764_000_000_000, profile: "vanta"))
        let key = try #require(try dataSet.write(to: root.url).first { $0.tier == 0 })
        let hotkey = try #require(try JSONScanner.objectMembers(ofDocument: Array(Data(contentsOf: root.path("validation/asset_selections.json")))).first?.key)
        try await Self.app(root).test(.router) { client in
            for uri in ["/debt-ledger", "/debt-ledger/\(hotkey)", "/emissions-ledger/\(hotkey)", "/penalty-ledger/\(hotkey)", "/perf-ledger/\(hotkey)", "/miner-selections"] {
                let response = try await client.execute(uri: uri, method: .get, headers: bearer(key.key))
                #expect(response.status == .ok, "\(uri): \(response.text)")
                let object = try #require(try response.json() as? [String: Any], "\(uri)")
                if uri.contains(hotkey), !uri.hasPrefix("/perf-ledger") { #expect(object["hotkey"] as? String == hotkey, "\(uri)") }
            }
        }
    }

    @Test("the OpenAPI document describes the vanta routes from their doc blocks")
    func openAPI() async throws {
        let root = try Self.makeRoot()
        defer { root.delete() }
        try await Self.app(root).test(.router) { client in
            let document = try #require(try await client.execute(uri: "/openapi.json", method: .get).json() as? [String: Any])
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            for path in ["/debt-ledger", "/debt-ledger/{hotkey}", "/emissions-ledger/{hotkey}", "/penalty-ledger/{hotkey}", "/perf-ledger/{hotkey}", "/miner-selections"] {
                let get = try #require(paths[path]?["get"] as? [String: Any], "\(path)")
                #expect(get["summary"] as? String != nil && (get["responses"] as? [String: Any])?["404"] != nil, "\(path)")
            }
        }
    }
}
