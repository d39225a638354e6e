import Logging
import ServiceLifecycle

/// Background service that polls the data files and swaps in new versions until shutdown.
public struct DataWatcherService: Service {
    private let reloader: DataReloader
    private let interval: Duration

    init(reloader: DataReloader, interval: Duration) {
        self.reloader = reloader
        self.interval = interval
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown { [reloader, interval] in
            var reloader = reloader
            // What start-up loaded is served already; compress it now, beside the first requests.
            await reloader.compactAll()
            while !Task.isCancelled {
                // Cancelled at graceful shutdown: stop quietly, not as a failure (which made the exit code 1).
                guard (try? await Task.sleep(for: interval)) != nil else { return }
                await reloader.poll()
            }
        }
    }
}
