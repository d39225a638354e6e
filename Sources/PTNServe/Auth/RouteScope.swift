/// The routes a key may use, from the key file's `routes`: paths, patterns ending in `*` (a prefix), and `ws` for the
/// WebSocket port.
package struct RouteScope: Sendable, Equatable {
    /// The patterns as written.
    package let patterns: [String]

    /// The WebSocket's name in `routes`.
    package static let webSocket = "ws"

    /// Nil when a pattern is not `ws` or a path starting with `/` with at most one `*`, at its end.
    package init?(_ patterns: [String]) {
        for pattern in patterns where pattern != Self.webSocket {
            guard pattern.hasPrefix("/"), !pattern.dropLast().contains("*"), !pattern.contains(where: \.isWhitespace) else { return nil }
        }
        self.patterns = patterns
    }

    /// Whether `path` (a request path, or `ws`) is in scope.
    package func allows(_ path: String) -> Bool {
        patterns.contains { pattern in
            if pattern.hasSuffix("*") { return path != Self.webSocket && path.hasPrefix(String(pattern.dropLast())) }
            return pattern == path || (path.hasSuffix("/") && pattern == String(path.dropLast()))
        }
    }
}
