import Hummingbird

/// `/miner-positions`, `/miner-positions/<hotkey>` and `/miner-hotkeys`: output.json and its tier views.
struct PositionsController {
    let store: DataStore

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("miner-positions", use: allPositions)
        group.get("miner-positions/{hotkey}", use: minerPositions)
        group.get("miner-hotkeys", use: hotkeys)
    }

    /// The whole file: real time without `tier` (tier 100 keys), else that tier's gzip file.
    @Sendable func allPositions(_ request: Request, context: AppRequestContext) throws -> Response {
        let client = try context.requireClient()
        guard let tierValue = request.uri.queryParameters.get("tier") else {
            guard client.tier >= 100 else { throw APIError.tierTooLow(100) }
            guard let snapshot = realtime() else { throw APIError.positionsNotFound }
            return try JSONResponse.ok(snapshot.body, version: snapshot.version, for: request, ranges: true)
        }
        guard let number = Int(tierValue), let tier = ServedFile.Tier(rawValue: number) else { throw APIError.invalidTier }
        guard client.tier >= tier.rawValue else { throw APIError.tierTooLow(tier.rawValue) }
        guard let snapshot = store.snapshot(.tieredPositions(tier)) else { throw APIError.positionsNotFound }
        return try JSONResponse.ok(snapshot.body, version: snapshot.version, for: request, policy: .unlessRefused, ranges: true)
    }

    /// One miner's object, from the freshest view the key may see.
    @Sendable func minerPositions(_ request: Request, context: AppRequestContext) throws -> Response {
        let client = try context.requireClient()
        let hotkey = try context.parameters.require("hotkey")
        guard let snapshot = try view(forKeyTier: client.tier), let index = snapshot.positions else {
            throw APIError.positionsNotFound
        }
        guard let entry = index.entry(for: hotkey) else { throw APIError.minerNotFound(hotkey) }
        return try JSONResponse.ok(entry, version: snapshot.version.variant("miner:" + hotkey), for: request)
    }

    /// The hotkeys of output.json, in file order.
    @Sendable func hotkeys(_ request: Request, context: AppRequestContext) throws -> Response {
        guard let snapshot = realtime(), let index = snapshot.positions, !index.hotkeys.isEmpty else { throw APIError.noHotkeys }
        return try JSONResponse.ok(JSONBody(identity: index.hotkeysJSON), version: snapshot.version.variant("hotkeys"), for: request)
    }

    /// output.json, or the tier-100 file (the same positions) when a validator writes only tier files.
    private func realtime() -> FileSnapshot? {
        store.snapshot(.positions) ?? store.snapshot(.tieredPositions(.t100))
    }

    /// Tier 100 keys see real time; lower keys the highest tier file at or below their tier.
    private func view(forKeyTier keyTier: Int) throws(APIError) -> FileSnapshot? {
        if keyTier >= 100 { return realtime() }
        let allowed = ServedFile.Tier.allCases.filter { $0.rawValue <= keyTier }
        guard !allowed.isEmpty else { throw .tierTooLow(0) }
        return allowed.reversed().lazy.compactMap { store.snapshot(.tieredPositions($0)) }.first
    }
}
