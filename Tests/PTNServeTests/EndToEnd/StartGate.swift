/// Lets a few servers start at once: a start loads, indexes and compresses every data file, and a suite that starts a
/// dozen side by side on two cores made each take minutes (and miss its deadline). A server that is up no longer holds
/// a permit, so a test that starts several (restarts, replicas) never waits on itself.
actor StartGate {
    static let shared = StartGate(permits: 2)

    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(permits: Int) { free = permits }

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
