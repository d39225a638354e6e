import Foundation
import NIOCore
import Testing
@testable import PTNServe

/// What only the shared journal has: the writer's term. A replica writes under the term it got at its takeover; once
/// another takes over, its appends are refused, and appends never leave holes.
@Suite("Shared journal: the writer's term fences off an earlier writer", .runsProcesses)
struct PostgresJournalFenceTests {
    @Test("an earlier writer's append is refused after a takeover; a replica that never took over cannot append")
    func termFence() async throws {
        try await StorageEngine.postgres.withJournals { open in
            let old = try await open()
            let oldTerm = try #require((old as? PostgresChangeJournal)?.currentTerm)
            #expect(try await old.append([ChangeJournalTests.event("A", "p1")], timestamp: 1, baselines: []).map(\.sequence) == [1])
            let new = try await open()
            #expect(try #require((new as? PostgresChangeJournal)?.currentTerm) == oldTerm + 1)
            await #expect(throws: JournalFenced.self) {
                _ = try await old.append([ChangeJournalTests.event("A", "p2")], timestamp: 2, baselines: [])
            }
            #expect(try await new.append([ChangeJournalTests.event("A", "p3")], timestamp: 3, baselines: []).map(\.sequence) == [2])
            (new as? PostgresChangeJournal)?.stepDown()
            await #expect(throws: JournalFenced.self) {
                _ = try await new.append([ChangeJournalTests.event("A", "p4")], timestamp: 4, baselines: [])
            }
            let held = try await old.events(after: 0, through: .max, filter: ChangeJournalTests.positions, limit: 10)
            #expect(held.map(\.itemKey) == ["p1", "p3"])
        }
    }

    @Test("appends racing on several connections get consecutive numbers, in commit order, without holes")
    func noHoles() async throws {
        try await StorageEngine.postgres.withJournals { open in
            let journal = try await open()
            let numbers = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for round in 0..<8 {
                    group.addTask {
                        try await journal.append((0..<3).map { ChangeJournalTests.event("K\(round)", "p\($0)") }, timestamp: 1, baselines: []).map(\.sequence)
                    }
                }
                return try await group.reduce(into: [[Int64]]()) { $0.append($1) }
            }
            // Each append's numbers are consecutive, and together they are 1...24.
            #expect(numbers.allSatisfy { $0 == Array($0[0]...$0[0] + 2) })
            #expect(numbers.flatMap { $0 }.sorted() == Array(1...24))
            #expect(try await journal.load().lastSequence == 24)
        }
    }
}
