import Foundation
import NIOCore
import Testing
@testable import PTNServe

@Suite("Route files: parsing, validation messages, profiles")
struct RouteFileParserTests {
    static func parse(_ routes: String, header: String = "") throws(RouteFileError) -> RouteTable {
        try RouteTable.parse(header + "routes:\n" + routes, reserving: ServerPaths.reserved)
    }

    static func refusal(_ routes: String, header: String = "") -> String? {
        do {
            _ = try parse(routes, header: header)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("bad route files are refused with a message naming the route and the problem", arguments: [
        ("  - path: /w\n    file: w.json\n    sellect: member\n", "route /w: unknown key \"sellect\""),
        ("  - path: /w/{a}/{b}\n    file: w.json\n    select: member\n", "route /w/{a}/{b}: the path has two parameters"),
        ("  - path: /w\n    file: w.json\n    select: member\n", "route /w: this `select` names an entry by a path parameter"),
        ("  - path: /w/{id}\n    file: w.json\n", "route /w/{id}: the path parameter {id} is not used"),
        ("  - path: /w\n    file: a.json\n  - path: /w\n    file: b.json\n", "route /w: the same path as route /w"),
        ("  - path: /w/{a}\n    file: a.json\n    select: member\n  - path: /w/{b}\n    file: b.json\n    select: member\n",
         "route /w/{b}: the same path as route /w/{a}"),
        ("  - path: /w\n    file: /etc/passwd\n", "route /w: file \"/etc/passwd\" must be relative to the data directory"),
        ("  - path: /w\n    file: state/../../secret.json\n", "route /w: file \"state/../../secret.json\" leaves the data directory"),
        ("  - path: /health\n    file: h.json\n", "route /health: the path is reserved"),
        ("  - path: /metrics\n    file: h.json\n", "route /metrics: the path is reserved"),
        ("  - path: /events\n    file: h.json\n", "route /events: the path is reserved"),
        ("  - path: /changes\n    file: h.json\n", "route /changes: the path is reserved"),
        ("  - path: /ws\n    file: h.json\n", "route /ws: the path is reserved"),
        ("  - path: /w\n    file: w.json\n    feed: {items: positions, key: id}\n", "route /w: `feed.items` needs a route that reads keyed entries"),
        ("  - path: /w/{k}\n    file: w.json\n    select: member\n    feed: {items: positions}\n", "route /w/{k}: `feed` needs `items` and `key`"),
        ("  - path: /w\n    file: w.json\n    feed: true\n", "route /w: `feed` must be false, whole or {items: PATH, key: FIELD}"),
        ("  - path: /w/{k}\n    file: w.json\n    select: member\n    feed: {items: p, key: id, facet: Pair}\n",
         "route /w/{k}: `feed.facet` name must be lower-case letters, digits and _"),
        ("  - path: /w/{k}\n    file: w.json\n    select: member\n    feed: {items: p, key: id, facet: {path: pair}}\n",
         "route /w/{k}: `feed.facet` needs a `name`"),
        ("  - path: /w\n", "route /w: needs a `file`"),
        ("  - path: w\n    file: w.json\n", "route w: the path must start with /"),
        ("  - path: /w{id}\n    file: w.json\n", "route /w{id}: a parameter must be a whole segment"),
        ("  - path: /w\n    file: w.json\n    tier: high\n", "route /w: tier must be a whole number"),
        ("  - path: /w\n    file: w.json\n    select: {array: data}\n", "route /w: select {array, key} needs both"),
        ("  - path: /w\n    file: w.json\n    gzip: always\n", "route /w: gzip must be when_accepted or unless_refused"),
        ("  - file: w.json\n", "route #1: needs a `path`"),
        ("  - path: /w/{k}\n    file: w.json\n    select: {object: \"\"}\n", "route /w/{k}: select {object: PATH} needs a dotted path to an object"),
        ("  - path: /w/{k}\n    file: w.json\n    select: {object: a..b}\n", "route /w/{k}: select.object \"a..b\" has an empty name between dots"),
        ("  - path: /w/{k}\n    file: w.json\n    select: {object: .a}\n", "route /w/{k}: select.object \".a\" has an empty name between dots"),
        ("  - path: /w/{k}\n    file: w.json\n    select: {object: a, key: id}\n", "route /w/{k}: select {object: PATH} takes no `array` or `key`"),
        ("  - path: /w/{k}\n    file: w.json\n    select: {object: [a, b]}\n", "route /w/{k}: select.object must be a single value"),
        ("  - path: /w/{k}\n    file: w.json\n    select: {objects: a}\n", "route /w/{k}: unknown key \"objects\""),
        ("  - path: /w\n    file: w.json\n    select: {object: ledgers}\n", "route /w: this `select` names an entry by a path parameter"),
        ("  - path: /w/{k}\n    file: w.json\n    select: object\n", "select must be whole, member, keys, {array: PATH, key: FIELD} or {object: PATH}"),
        ("  - path: /w/{k}\n    file: w.json\n    select: member\n    wrap: true\n", "route /w/{k}: wrap must be `key`"),
        ("  - path: /w\n    file: w.json\n    wrap: key\n", "route /w: `wrap` needs a route that answers one entry"),
        ("  - path: /w/{k}\n    file: w.json\n    select: member\n    wrap: key\n    filters: {fields: members}\n",
         "route /w/{k}: `wrap` does not combine with `strip` or `filters`"),
        ("", "`routes:`"),
    ])
    func refused(_ routes: String, _ expected: String) {
        let message = Self.refusal(routes)
        #expect(message?.contains(expected) == true, "\(message ?? "accepted")")
    }

    @Test("unknown top-level keys and readiness names are refused")
    func topLevel() {
        #expect(Self.refusal("  - path: /w\n    file: w.json\n", header: "profil: x\n")?.contains("unknown key \"profil\"") == true)
        #expect(Self.refusal("  - path: /w\n    file: w.json\n", header: "ready: [nope]\n")?.contains("\"nope\" is not a file") == true)
        #expect(Self.refusal("  - path: /w\n    file: w.json\n", header: "extends: nosuch\n")?.contains("no built-in profile \"nosuch\"") == true)
        let routes = "  - path: /w\n    file: w.json\n  - path: /w/{k}\n    file: w.json\n    select: member\n"
        let views = { (leaderboard: String, miner: String) in
            "explorer: {leaderboard: \"\(leaderboard)\", miner_positions: \"\(miner)\", miner_statistics: \"/w/{k}\"}\n"
        }
        #expect(Self.refusal(routes, header: views("/nope", "/w/{k}"))?.contains("explorer.leaderboard: no route /nope in this table") == true)
        #expect(Self.refusal(routes, header: views("/w?x=1", "/w"))?.contains("explorer.miner_positions: /w must have one {parameter}") == true)
        #expect(Self.refusal(routes, header: "explorer: {leaderboard: /w}\n")?.contains("`explorer` needs leaderboard, miner_positions, miner_statistics") == true)
        #expect(Self.refusal(routes, header: views("/w?x=1", "/w/{k}")) == nil)
    }

    @Test("files used inline get names without slashes or extensions; one path list is one file")
    func inlineFiles() throws {
        let table = try Self.parse("""
              - path: /a
                file: state/weights.json
              - path: /b/{k}
                file: state/weights.json
                select: member
              - path: /c
                file: [x/scores.json.gz, x/scores.json]
            """ + "\n")
        #expect(table.files.map(\.name) == ["state-weights", "x-scores"])
        #expect(table.files[1].candidates == ["x/scores.json.gz", "x/scores.json"])
        #expect(table.readiness == [["state-weights", "x-scores"]])
        #expect(table.indexPlan(for: "state-weights").entries == [.members: []])
        #expect(table.profile == "custom")
    }

    @Test("select {object: PATH} reads the members of a nested object by name; wrap: key answers them under their key")
    func nestedObjectSelect() throws {
        let table = try Self.parse("""
              - path: /ledgers
                file: state/ledgers.json
              - path: /ledgers/{hotkey}
                file: state/ledgers.json
                select: {object: book.ledgers}
                wrap: key
                unknown_key: No ledger for {hotkey}
            """ + "\n")
        let route = try #require(table.routes.last)
        #expect(route.select == .element(.object(path: "book.ledgers")))
        #expect(route.select.entrySource == .object(path: "book.ledgers"))
        #expect(route.wrapsInKey && table.routes[0].wrapsInKey == false)
        let plan = table.indexPlan(for: "state-ledgers")
        #expect(plan.entries == [.object(path: "book.ledgers"): []])
        #expect(plan.wrapped == [.object(path: "book.ledgers")])
        #expect(table.followedFiles.first?.source == .object(path: "book.ledgers"))
        let again = try RouteTable.parse(table.routeFileText)
        #expect(again.routes == table.routes)
        #expect(table.routeFileText.contains("object: book.ledgers") && table.routeFileText.contains("wrap: key"))
    }

    @Test("the ptn profile declares today's routes, files and readiness")
    func ptnProfile() throws {
        let table = try RouteTable.builtIn("ptn")
        #expect(table.routes.map(\.path) == [
            "/miner-positions", "/miner-positions/{hotkey}", "/miner-hotkeys", "/statistics", "/statistics/{hotkey}", "/eliminations",
            "/miner-copying", "/validator-checkpoint",
        ])
        #expect(table.apiKeyFiles == ["ptn_api/api_keys.json"])
        #expect(table.requiredFiles == ["positions", "positions-tier-0", "positions-tier-30", "positions-tier-50", "positions-tier-100"])
        #expect(table.file(named: "validator-checkpoint")?.compress == false)
        let statistics = table.indexPlan(for: "statistics")
        #expect(statistics.entries == [.array(path: "data", key: "hotkey"): ["checkpoints"]])
        #expect(statistics.wholeCuts == [IndexPlan.Cut(source: .array(path: "data", key: nil), field: "checkpoints")])
    }

    @Test("the vanta profile extends ptn: its key files, gzip statistics, ledgers and selections; ptn's routes unchanged")
    func vantaProfile() throws {
        let ptn = try RouteTable.builtIn("ptn")
        let vanta = try RouteTable.builtIn("vanta")
        #expect(vanta.profile == "vanta")
        #expect(vanta.apiKeyFiles == ["vanta_api/api_keys.json", "ptn_api/api_keys.json"])
        #expect(vanta.file(named: "statistics")?.candidates == ["runnable/minerstatistics.json.gz", "runnable/minerstatistics.json"])
        // Vanta's own server: /miner-positions reads the tier-100 file by default; an unknown miner's 404 adds positions: [].
        let positions = try #require(vanta.routes.first { $0.path == "/miner-positions" })
        #expect(positions.source?.files == ["positions-tier-100", "positions"])
        #expect(positions.gzip == .unlessRefused)
        #expect(positions.byQuery == ptn.routes.first { $0.path == "/miner-positions" }?.byQuery)
        let miner = try #require(vanta.routes.first { $0.path == "/miner-positions/{hotkey}" })
        #expect(miner.messages.unknownKeyMembers == ["positions": []])
        #expect(miner.filters == ptn.routes.first { $0.path == "/miner-positions/{hotkey}" }?.filters)
        let others = Set(["/miner-positions", "/miner-positions/{hotkey}"])
        #expect(Array(vanta.routes.prefix(ptn.routes.count)).filter { !others.contains($0.path) } == ptn.routes.filter { !others.contains($0.path) })
        #expect(vanta.routes.dropFirst(ptn.routes.count).map(\.path) == [
            "/debt-ledger", "/debt-ledger/{hotkey}", "/emissions-ledger/{hotkey}", "/penalty-ledger/{hotkey}", "/perf-ledger/{hotkey}",
            "/miner-selections",
        ])
        #expect(vanta.routes.dropFirst(ptn.routes.count).allSatisfy { $0.tier == 0 })
        let ptnNames = Set(ptn.files.map(\.name))
        #expect(vanta.files.filter { ptnNames.contains($0.name) && $0.name != "statistics" } == ptn.files.filter { $0.name != "statistics" })
        #expect(vanta.files.filter { !ptnNames.contains($0.name) }.map(\.candidates) == [
            ["validation/debt_ledger.json.gz"], ["validation/emissions_ledger.json.gz"], ["validation/penalty_ledger.json.gz"],
            ["validation/perf_ledgers.json.gz"], ["validation/asset_selections.json"],
        ])
        #expect(vanta.readiness == ptn.readiness)
        #expect(vanta.indexPlan(for: "debt-ledger").entries == [.object(path: "ledgers"): []])
        #expect(vanta.indexPlan(for: "perf-ledgers").wrapped == [.members])
        let ledgerFeeds = vanta.followedFiles.filter { $0.name.hasSuffix("ledger") || $0.name == "perf-ledgers" }
        #expect(ledgerFeeds.count == 4 && ledgerFeeds.allSatisfy { $0.source == nil })
    }

    @Test("amend: true replaces only the keys it gives; amending a path the base lacks, or a bad value, is refused")
    func amend() throws {
        let profiles: (String) -> String? = { $0 == "base" ? "routes:\n  - path: /a/{k}\n    file: a.json\n    select: member\n    tier: 50\n" : nil }
        let table = try RouteFileParser.parse(
            "extends: base\nroutes:\n  - path: /a/{k}\n    amend: true\n    unknown_key: No {k}\n    unknown_key_members: {items: []}\n",
            profiles: profiles
        )
        let route = try #require(table.routes.first)
        #expect(route.tier == 50 && route.select == .member)
        #expect(route.messages.unknownKey == "No {k}")
        #expect(route.messages.unknownKeyMembers == ["items": []])
        #expect(throws: RouteFileError.self) {
            try RouteFileParser.parse("extends: base\nroutes:\n  - path: /b\n    amend: true\n    tier: 0\n", profiles: profiles)
        }
        #expect(throws: RouteFileError.self) {
            try RouteFileParser.parse("extends: base\nroutes:\n  - path: /a/{k}\n    amend: yes please\n", profiles: profiles)
        }
        #expect(throws: RouteFileError.self) {
            try RouteFileParser.parse("extends: base\nroutes:\n  - path: /a/{k}\n    amend: true\n    unknown_key_members: [1]\n", profiles: profiles)
        }
        #expect(throws: RouteFileError.self) {
            try RouteFileParser.parse("extends: base\nroutes:\n  - path: /a/{k}\n    amend: true\n    unknown_key_members: {error: x}\n", profiles: profiles)
        }
    }

    @Test("the streams' key list and facet are named as the table declares them: PTN's hotkeys and trade_pairs; else keys, and no facet")
    func streamFilterNames() throws {
        #expect(ptnTable.streamKeyParameter == "hotkeys")
        #expect(FeedAccess(table: ptnTable).facetParameters == ["trade_pairs", "trade_pair"])
        let plain = try Self.parse("  - path: /w/{k}\n    file: w.json\n    select: member\n    feed: {items: xs, key: id}\n")
        #expect(plain.streamKeyParameter == "keys" && FeedAccess(table: plain).facetParameters.isEmpty)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: OpenAPIDocument(table: plain).bytes).utf8)) as? [String: Any])
        let parameters = (document["components"] as? [String: Any])?["parameters"] as? [String: Any]
        #expect((parameters?["Keys"] as? [String: Any])?["name"] as? String == "keys" && parameters?["Facets"] == nil)
        let changes = ((document["paths"] as? [String: Any])?["/changes"] as? [String: Any])?["get"] as? [String: Any]
        let references = (changes?["parameters"] as? [[String: Any]] ?? []).compactMap { $0["$ref"] as? String }
        #expect(references.contains("#/components/parameters/Keys") && !references.contains("#/components/parameters/Facets"), "\(references)")
    }

    @Test("a table written back as a route file parses to the same table", arguments: ["ptn", "vanta"])
    func roundTrip(_ profile: String) throws {
        let table = try RouteTable.builtIn(profile)
        let again = try RouteTable.parse(table.routeFileText)
        #expect(again.routes == table.routes)
        #expect(again.files == table.files)
        #expect(again.readiness == table.readiness)
        #expect(again.apiKeyFiles == table.apiKeyFiles)
        #expect(again.explorer == table.explorer && table.explorer?.leaderboard == "/statistics?checkpoints=false")
    }

    @Test("the example subnet's route file parses: whole files, members, keys, array elements, tiers, alternates")
    func exampleSubnet() throws {
        let table = try ExampleSubnet.table()
        #expect(table.profile == "forecast-subnet")
        #expect(table.routes.map(\.select) == [.whole, .member, .keys, .whole, .element(.array(path: "data", key: "hotkey")), .whole])
        #expect(table.routes.map(\.tier) == [0, 0, 0, 50, 50, 0])
        #expect(table.file(named: "state-scores")?.candidates == ["state/scores.json.gz", "state/scores.json"])
    }
}
