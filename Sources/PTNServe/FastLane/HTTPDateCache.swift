import Foundation
import Synchronization

/// The `Date` field's value, formatted once per second (as Hummingbird's own date cache does for its lane).
final class HTTPDateCache: Sendable {
    private let current = Mutex<(seconds: Int64, text: String)>((0, ""))

    init() {}

    /// `Sun, 06 Nov 1994 08:49:37 GMT` for now.
    var now: String {
        let seconds = Int64(Date().timeIntervalSince1970)
        return current.withLock { current in
            if current.seconds != seconds { current = (seconds, HTTPDate.format(seconds: seconds)) }
            return current.text
        }
    }
}
