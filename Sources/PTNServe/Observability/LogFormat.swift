import Logging

/// How log lines are written: swift-log's text lines, or one JSON object per line for log shippers.
package enum LogFormat: String, Sendable, CaseIterable {
    case text
    case json

    /// A log handler factory for `LoggingSystem.bootstrap`; both write to standard error, as swift-log does by default.
    package func makeHandler(label: String) -> any LogHandler {
        LogLineHandler(label: label, format: self)
    }
}
