import Foundation
import Hummingbird

/// A request's key, as synchronous steps: is it in force, and whose is it. `APIKeyMiddleware` (the routes Hummingbird
/// alone answers) and `TableAnswer` (the table routes, on both lanes) call these, as they call `RateLimiter.charge`
/// and `PlanStep` for the limits and the plan, so each rule is written once.
enum KeyedAccess {
    /// A key in force: its holder, and its SHA-256, by which an open stream looks the key up again.
    struct Admitted: Sendable {
        let client: APIClient
        let digest: Data
    }

    /// The holder of `key`, if that key is in force.
    static func admitted(_ key: String?, in keys: AtomicSnapshot<APIKeySet>) -> Admitted? {
        var memo = KeyDigestMemo()
        return admitted(key, in: keys, memo: &memo)
    }

    /// The same, hashing the key through a connection's `memo`.
    static func admitted(_ key: String?, in keys: AtomicSnapshot<APIKeySet>, memo: inout KeyDigestMemo) -> Admitted? {
        guard let key else { return nil }
        let digest = memo.digest(key)
        return keys.value.client(forDigest: digest).map { Admitted(client: $0, digest: digest) }
    }

    /// Records an accepted key's holder in the request's context, for the routes, the error log and the request log.
    static func admit(_ admitted: Admitted, into context: inout AppRequestContext) {
        let client = admitted.client
        context.client = client
        context.keyDigest = admitted.digest
        context.observation.alias = client.alias
        context.logger[metadataKey: "client"] = .string(client.alias)
    }
}
