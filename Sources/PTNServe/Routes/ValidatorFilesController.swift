import Hummingbird

/// `/eliminations`, `/miner-copying` and `/validator-checkpoint`: whole files served as they are.
struct ValidatorFilesController {
    let store: DataStore

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("eliminations") { request, _ in try serve(.eliminations, request, missing: .eliminationsNotFound) }
        group.get("miner-copying") { request, _ in try serve(.minerCopying, request, missing: .minerCopyingNotFound) }
        group.get("validator-checkpoint") { request, context in
            guard try context.requireClient().tier >= 100 else { throw APIError.checkpointRequiresTier100 }
            return try serve(.checkpoint, request, missing: .checkpointNotFound)
        }
    }

    private func serve(_ file: ServedFile, _ request: Request, missing: APIError) throws -> Response {
        guard let snapshot = store.snapshot(file) else { throw missing }
        return try JSONResponse.ok(snapshot.body, version: snapshot.version, for: request, ranges: true)
    }
}
