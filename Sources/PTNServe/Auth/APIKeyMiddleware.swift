import Hummingbird

/// Admits a request only if it presents a key in force, and records whose key it is in the context.
public struct APIKeyMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    /// The keys in force, swapped by `KeyFileWatcher` on each valid edit.
    let keys: AtomicSnapshot<APIKeySet>
    let extractor: APIKeyExtractor

    public init(keys: AtomicSnapshot<APIKeySet>, extractor: APIKeyExtractor) {
        self.keys = keys
        self.extractor = extractor
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        guard let key = try await extractor.key(in: &request) else { throw APIError.unauthorized }
        let digest = APIKeySet.digest(key)
        guard let client = keys.value.client(forDigest: digest) else { throw APIError.unauthorized }
        var context = context
        context.client = client
        context.keyDigest = digest
        context.observation.alias = client.alias
        context.logger[metadataKey: "client"] = .string(client.alias)
        return try await next(request, context)
    }
}
