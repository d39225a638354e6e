import ServiceLifecycle

/// Runs a check every interval until graceful shutdown: the one timer behind the file watchers and the usage report.
public struct PollingService<Check: PeriodicCheck>: Service {
    let interval: Duration
    let check: Check

    public init(every interval: Duration, _ check: Check) {
        self.interval = interval
        self.check = check
    }

    public func run() async throws {
        var check = check
        await check.start()
        while await nextTick() {
            await check.run()
        }
    }

    /// Waits one interval; false once a graceful shutdown (or cancellation) has begun. As with Hummingbird's own
    /// timers, shutdown ends the wait, not a check already running, and the service then returns quietly rather
    /// than with an error (which made the exit code 1).
    private func nextTick() async -> Bool {
        let interval = interval
        return (try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }) != nil
    }
}
