import Synchronization

/// Per-request facts that inner middleware learns and the outer request log needs once the response is back.
///
/// A class because the request context is a value: a copy changed by `APIKeyMiddleware` never reaches the outer
/// middleware's copy, while a shared reference does (Hummingbird's `endpointPath` works the same way).
final class RequestObservation: Sendable {
    private let storedAlias = Mutex<String?>(nil)

    init() {}

    /// The alias of the request's accepted key, if any.
    var alias: String? {
        get { storedAlias.withLock { $0 } }
        set { storedAlias.withLock { $0 = newValue } }
    }
}
