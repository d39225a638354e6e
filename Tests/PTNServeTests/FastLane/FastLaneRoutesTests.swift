import Testing
@testable import PTNServe

@Suite("Fast lane: which paths it takes")
struct FastLaneRoutesTests {
    static func routes() throws -> FastLaneRoutes {
        let table = try RouteTable.builtIn("ptn")
        let controllers = table.routes.map { TableRouteController(route: $0, store: DataStore(), cache: QueryCache(capacity: 0)) }
        return FastLaneRoutes(controllers: controllers, otherPaths: ["health", "ui/browse", "usage", ""])
    }

    @Test("table paths match with their captures and the router's route name, a trailing slash included")
    func matches() throws {
        let routes = try Self.routes()
        let (whole, none) = try #require(routes.match("/miner-positions"))
        #expect(whole.endpointPath == "/miner-positions" && none.isEmpty)
        let (entry, parameters) = try #require(routes.match("/statistics/5Gp-x_y.z~/"))
        #expect(entry.endpointPath == "/statistics/{hotkey}")
        #expect(parameters["hotkey"] == "5Gp-x_y.z~")
    }

    @Test("anything the router might read differently is left to it", arguments: [
        "/", "", "miner-positions", "//miner-positions", "/miner-positions//", "/miner-positions/%35Gp", "/miner-positions/./x",
        "/miner-positions/..", "/Miner-Positions", "/miner-positions/a/b", "/health", "/usage", "/ui/browse", "/miner-positions/a b",
        "/miner-positions/ü",
    ])
    func handedOn(_ path: String) throws {
        #expect(try Self.routes().match(path) == nil)
    }
}
