import Foundation
import Hummingbird
import NIOCore

/// The request context of every route: the framework's core storage plus the authenticated client, if any.
struct AppRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// Set by `APIKeyMiddleware` once the request's key is accepted.
    var client: APIClient?
    /// The SHA-256 of the request's key, set with `client`: what an open stream looks the key up by (never the key).
    var keyDigest: Data?
    /// The connection's peer (nil in router-only tests), for per-address rate limits.
    let remoteAddress: SocketAddress?
    /// Shared with the request log middleware, which needs the alias after the inner copies of the context are gone.
    let observation = RequestObservation()

    init(source: Source) {
        self.coreContext = .init(source: source)
        self.client = nil
        self.keyDigest = nil
        self.remoteAddress = source.channel.remoteAddress
    }

    /// A key-authenticated route only runs after `APIKeyMiddleware`, so a missing client is a wiring bug, reported as 401.
    func requireClient() throws(APIError) -> APIClient {
        guard let client else { throw .unauthorized }
        return client
    }
}
