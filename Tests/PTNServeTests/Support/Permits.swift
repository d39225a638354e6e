import Testing

/// A counting semaphore for tests: at most `permits` holders at once, the others waiting in order.
actor Permits {
    /// Servers starting at once: a start loads, indexes and compresses every data file, and a suite that starts a dozen
    /// side by side on two cores made each take minutes (and miss its deadline). A server that is up no longer holds a
    /// permit, so a test that starts several (restarts, replicas) never waits on itself.
    static let serverStarts = Permits(2)

    /// Tests that run other processes (the binary, PostgreSQL, nginx, Chromium, Python clients) at once. Run all
    /// together on two cores (the test runner starts every test at once), they starved one another and the in-process
    /// tests past the deadlines the product keeps (a replica's 2 s heartbeat answer, a quota lease's 5 s): failures
    /// that came and went with the load, never with the code.
    static let processTests = Permits(3)

    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ permits: Int) { free = permits }

    /// Runs `body` holding one permit.
    func withPermit<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}

/// A suite whose tests run other processes: each test (each case of a parameterized one) waits for one of
/// `Permits.processTests` before it starts, so its own deadlines count from when it runs.
struct RunsProcesses: SuiteTrait, TestTrait, TestScoping {
    var isRecursive: Bool { true }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        // The suite itself holds nothing: its tests take their permits one by one.
        guard testCase != nil else { return try await function() }
        try await Permits.processTests.withPermit { try await function() }
    }
}

extension Trait where Self == RunsProcesses {
    /// The tests of this suite run other processes; a few such tests run at once (`Permits.processTests`).
    static var runsProcesses: Self { RunsProcesses() }
}
