import Atomics
import Logging
import ServiceLifecycle

/// Writes the usage rows in batches, one every `Subscriptions.flushInterval`, and a last one at graceful shutdown.
struct UsageFlusher: Service {
    let subscriptions: Subscriptions
    let logger: Logger
    /// How long the last write may take (`--shutdown-deadline`): a database that cannot be reached must not hold the
    /// process for ever.
    let lastWriteDeadline: Duration

    init(subscriptions: Subscriptions, logger: Logger, lastWriteDeadline: Duration) {
        self.subscriptions = subscriptions
        self.logger = logger
        self.lastWriteDeadline = lastWriteDeadline
    }

    func run() async {
        await cancelWhenGracefulShutdown {
            while (try? await Task.sleep(for: subscriptions.flushInterval)) != nil { await flush() }
        }
        // Not cancelled with the service: when the shutdown deadline passes (a slow stop on a busy machine), the group
        // cancels its services, and a cancelled last write would lose the batch that a graceful stop promises to keep.
        // Not awaited past `lastWriteDeadline` either: a write waiting for an unreachable database (the pool waits for a
        // connection without end, cancelled or not) is left behind, and the process exits.
        let (ended, end) = AsyncStream.makeStream(of: Void.self)
        let done = ManagedAtomic(false)
        Task {
            await flush()
            done.store(true, ordering: .sequentiallyConsistent)
            end.finish()
        }
        Task {
            try? await Task.sleep(for: lastWriteDeadline)
            end.finish()
        }
        for await _ in ended {}
        if !done.load(ordering: .sequentiallyConsistent) {
            logger.error(
                "usage rows not written at shutdown: the database did not answer in time",
                metadata: ["deadline": "\(lastWriteDeadline)"]
            )
        }
    }

    private func flush() async {
        do {
            try await subscriptions.flush()
        } catch {
            logger.warning("usage rows not written; kept for the next try", metadata: ["reason": "\(type(of: error))"])
        }
    }
}
