import Hummingbird

/// Admits a request only if it presents a key in force, and records whose key it is in the context.
struct APIKeyMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    /// The keys in force, swapped by `KeyFileWatcher` on each valid edit.
    let keys: AtomicSnapshot<APIKeySet>
    let extractor: APIKeyExtractor

    init(keys: AtomicSnapshot<APIKeySet>, extractor: APIKeyExtractor) {
        self.keys = keys
        self.extractor = extractor
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        guard let admitted = KeyedAccess.admitted(try await extractor.key(in: &request), in: keys) else {
            throw APIError.unauthorized
        }
        var context = context
        KeyedAccess.admit(admitted, into: &context)
        return try await next(request, context)
    }
}
