import Hummingbird

/// `/statistics` and `/statistics/<hotkey>`: minerstatistics.json, whole or per miner, with or without checkpoints.
struct StatisticsController {
    let store: DataStore

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("statistics", use: allStatistics)
        group.get("statistics/{hotkey}", use: minerStatistics)
    }

    @Sendable func allStatistics(_ request: Request, context: AppRequestContext) throws -> Response {
        guard let snapshot = store.snapshot(.statistics), let index = snapshot.statistics else { throw APIError.statisticsNotFound }
        let full = Self.wantsCheckpoints(request)
        return try JSONResponse.ok(
            full ? snapshot.body : index.withoutCheckpoints,
            version: full ? snapshot.version : snapshot.version.variant("no-checkpoints"),
            for: request,
            ranges: true
        )
    }

    @Sendable func minerStatistics(_ request: Request, context: AppRequestContext) throws -> Response {
        let hotkey = try context.parameters.require("hotkey")
        guard let snapshot = store.snapshot(.statistics), let index = snapshot.statistics else { throw APIError.statisticsNotFound }
        guard !index.isEmpty else { throw APIError.noStatisticsData }
        guard let entry = index.entry(for: hotkey) else { throw APIError.minerNotFound(hotkey) }
        let full = Self.wantsCheckpoints(request)
        let version = snapshot.version.variant((full ? "statistics:" : "statistics-no-checkpoints:") + hotkey)
        return try JSONResponse.ok(full ? entry.full : entry.withoutCheckpoints, version: version, for: request)
    }

    /// `?checkpoints=false` (any case) drops them, as the seed did; anything else keeps them.
    static func wantsCheckpoints(_ request: Request) -> Bool {
        request.uri.queryParameters.get("checkpoints")?.lowercased() != "false"
    }
}
