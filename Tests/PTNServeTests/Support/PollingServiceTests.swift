import ServiceLifecycle
import Testing
@testable import PTNServe

@Suite("One polling service behind every periodic check")
struct PollingServiceTests {
    /// What a check reports, in order.
    enum Event: Equatable, Sendable {
        case started
        case ran(Int)
        case shutdownBegan
        case finished(cancelled: Bool)
    }

    /// Counts its runs.
    struct CountingCheck: PeriodicCheck {
        let events: AsyncStream<Event>.Continuation
        var runs = 0

        func start() async { events.yield(.started) }

        mutating func run() async {
            runs += 1
            events.yield(.ran(runs))
        }
    }

    /// A run that lasts until the test releases it, reporting when shutdown reaches it and whether it was cancelled.
    struct SlowCheck: PeriodicCheck {
        let events: AsyncStream<Event>.Continuation
        let release: AsyncStream<Void>

        func run() async {
            await withGracefulShutdownHandler {
                events.yield(.ran(1))
                for await _ in release { break }
                events.yield(.finished(cancelled: Task.isCancelled))
            } onGracefulShutdown: { [events] in
                events.yield(.shutdownBegan)
            }
        }
    }

    @Test("starts once, runs after every interval, and returns quietly at graceful shutdown")
    func ticksUntilShutdown() async throws {
        let (events, continuation) = AsyncStream.makeStream(of: Event.self)
        let group = ServiceGroup(services: [PollingService(every: .milliseconds(1), CountingCheck(events: continuation))], logger: quietLogger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = events.makeAsyncIterator()
            #expect(await iterator.next() == .started)
            #expect(await iterator.next() == .ran(1))
            #expect(await iterator.next() == .ran(2))
            await group.triggerGracefulShutdown()
            // A service that ended with an error (as a cancelled sleep once did) would throw here.
            try await tasks.waitForAll()
        }
    }

    @Test("graceful shutdown ends the wait, not a check already running: the check finishes uncancelled")
    func runningCheckFinishes() async throws {
        let (events, continuation) = AsyncStream.makeStream(of: Event.self)
        let (release, releaser) = AsyncStream.makeStream(of: Void.self)
        let check = SlowCheck(events: continuation, release: release)
        let group = ServiceGroup(services: [PollingService(every: .milliseconds(1), check)], logger: quietLogger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = events.makeAsyncIterator()
            #expect(await iterator.next() == .ran(1))
            await group.triggerGracefulShutdown()
            #expect(await iterator.next() == .shutdownBegan)
            releaser.yield()
            #expect(await iterator.next() == .finished(cancelled: false))
            try await tasks.waitForAll()
        }
    }
}
