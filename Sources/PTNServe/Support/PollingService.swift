import ServiceLifecycle

/// Runs a check every interval until graceful shutdown: the one timer behind the file watchers and the usage report.
package struct PollingService<Check: PeriodicCheck>: Service {
    let interval: Duration
    let check: Check

    package init(every interval: Duration, _ check: Check) {
        self.interval = interval
        self.check = check
    }

    package func run() async throws {
        var check = check
        await check.start()
        // A tick that comes while a check runs waits for it; more than one would only repeat the same check.
        let (ticks, tick) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        await withDiscardingTaskGroup { group in
            group.addTask { [interval] in
                // As Hummingbird's own timers: graceful shutdown stops the timer, not a check already running, and
                // the service then returns quietly rather than with an error (which made the exit code 1).
                await cancelWhenGracefulShutdown {
                    while (try? await Task.sleep(for: interval)) != nil { tick.yield() }
                }
                tick.finish()
            }
            for await _ in ticks {
                guard !Task.isShuttingDownGracefully else { break }
                await check.run()
            }
        }
    }
}
