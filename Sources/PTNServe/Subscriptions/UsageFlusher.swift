import Logging
import ServiceLifecycle

/// Writes the usage rows in batches, one every `Subscriptions.flushInterval`, and a last one at graceful shutdown.
struct UsageFlusher: Service {
    let subscriptions: Subscriptions
    let logger: Logger

    init(subscriptions: Subscriptions, logger: Logger) {
        self.subscriptions = subscriptions
        self.logger = logger
    }

    func run() async {
        await cancelWhenGracefulShutdown {
            while (try? await Task.sleep(for: subscriptions.flushInterval)) != nil { await flush() }
        }
        // Not cancelled with the service: when the shutdown deadline passes (a slow stop on a busy machine), the group
        // cancels its services, and a cancelled last write would lose the batch that a graceful stop promises to keep.
        await Task { await flush() }.value
    }

    private func flush() async {
        do {
            try await subscriptions.flush()
        } catch {
            logger.warning("usage rows not written; kept for the next try", metadata: ["reason": "\(type(of: error))"])
        }
    }
}
