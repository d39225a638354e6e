import Logging
import Synchronization

/// A log handler that keeps every line, for tests that check what the operator is told (and what is never logged),
/// and that wait for what background work reports instead of sleeping.
final class LogRecorder: Sendable {
    struct Line: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: [String: String]

        /// The message and every metadata value, as one searchable string.
        var text: String { ([message] + metadata.map { "\($0.key)=\($0.value)" }).joined(separator: " ") }
    }

    private struct State {
        var lines: [Line] = []
        /// Waiters of `line(where:)`, each fed every line from the moment it starts waiting.
        var listeners: [Int: AsyncStream<Line>.Continuation] = [:]
        var nextListener = 0
    }

    private let storage = Mutex(State())

    var lines: [Line] { storage.withLock { $0.lines } }

    /// A logger writing into this recorder.
    func logger(level: Logger.Level = .debug) -> Logger {
        var logger = Logger(label: "test") { _ in Handler(recorder: self) }
        logger.logLevel = level
        return logger
    }

    /// The first line `predicate` accepts (with `skipping: n`, the one after n such lines), written already or waited
    /// for: the signal that a background service did something. Nil only if the waiting task is cancelled, so a test
    /// waiting here is bounded by its `.timeLimit`.
    func line(skipping: Int = 0, where predicate: @escaping @Sendable (Line) -> Bool) async -> Line? {
        let (stream, continuation) = AsyncStream<Line>.makeStream()
        let listener = storage.withLock { state in
            // Written lines first, then each new one, with no gap: both happen under the lock append takes.
            for line in state.lines { continuation.yield(line) }
            state.nextListener += 1
            state.listeners[state.nextListener] = continuation
            return state.nextListener
        }
        defer { _ = storage.withLock { $0.listeners.removeValue(forKey: listener) } }
        var seen = 0
        for await line in stream where predicate(line) {
            if seen == skipping { return line }
            seen += 1
        }
        return nil
    }

    fileprivate func append(_ line: Line) {
        storage.withLock { state in
            state.lines.append(line)
            for listener in state.listeners.values { listener.yield(line) }
        }
    }

    struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var all = metadata.mapValues { "\($0)" }
            for (key, value) in event.metadata ?? [:] { all[key] = "\(value)" }
            recorder.append(Line(level: event.level, message: "\(event.message)", metadata: all))
        }
    }
}
