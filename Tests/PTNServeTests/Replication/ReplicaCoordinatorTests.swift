import Foundation
import Logging
import NIOCore
import Testing
@testable import PTNServe

/// Replicas in one process over a throwaway PostgreSQL: one writes, the others follow by LISTEN and by query; when
/// the writer goes, another takes over and the numbers go on.
@Suite("Replicas: one writer, followers, takeover", .runsProcesses)
struct ReplicaCoordinatorTests {
    /// A replica: its feed and the coordinator running it.
    struct Replica {
        let feed: ChangeFeed
        let journal: PostgresChangeJournal
        let coordinator: ReplicaCoordinator
        let task: Task<Void, Never>
    }

    static func replica(_ url: DatabaseURL) async throws -> Replica {
        let database = try await PostgresDatabase.open(url, logger: quietLogger)
        let journal = try await PostgresChangeJournal.open(database)
        let feed = try await ChangeFeed.shared(files: ptnTable.followedFiles, journal: journal, retention: ServeConfiguration().feedRetention, logger: quietLogger)
        let coordinator = ReplicaCoordinator(database: database, journal: journal, feed: feed, logger: quietLogger)
        return Replica(feed: feed, journal: journal, coordinator: coordinator, task: Task { await coordinator.run() })
    }

    /// The sequences of the first `count` events `follower` gets, within `timeout`.
    static func sequences(_ follower: FeedFollower, count: Int, timeout: Duration = .seconds(10)) async -> [Int64] {
        let collected = Task {
            var iterator = follower.messages()
            var sequences = [Int64]()
            while sequences.count < count, let message = await iterator.next() {
                if case .event(let event) = message { sequences.append(event.sequence) }
            }
            return sequences
        }
        let watchdog = Task {
            try? await Task.sleep(for: timeout)
            follower.stop()
        }
        defer { watchdog.cancel() }
        return await collected.value
    }

    @Test("exactly one replica writes; a follower's subscriber gets its events; after the writer stops another takes over and numbering goes on")
    func failover() async throws {
        try await withTestPostgres { server in
            let url = try await server.createDatabase()
            let replicas = [try await Self.replica(url), try await Self.replica(url)]
            defer { for replica in replicas { replica.task.cancel() } }
            #expect(await eventually { replicas.filter { $0.feed.isWriting }.count == 1 })
            let writer = try #require(replicas.first { $0.feed.isWriting })
            let follower = try #require(replicas.first { !$0.feed.isWriting })
            #expect(follower.coordinator.state.status().role == "follower")

            let subscriber = await follower.feed.follow(since: 0, filter: ChangeFeedTests.everything, transport: "test")
            await writer.feed.publish(ChangeFeedTests.diff("A", count: 3))
            #expect(await Self.sequences(subscriber, count: 3) == [1, 2, 3])
            #expect(await eventually { follower.coordinator.state.status().lag == 0 })

            // The writer goes: its lock connection closes, the follower takes over under a new term.
            let oldTerm = try #require(writer.journal.currentTerm)
            writer.task.cancel()
            // That it happens, not how fast: a timing would fail with the machine's load, not with the code.
            #expect(await eventually(timeout: .seconds(30)) { follower.feed.isWriting })
            #expect(try #require(follower.journal.currentTerm) > oldTerm)
            let again = await follower.feed.follow(since: 3, filter: ChangeFeedTests.everything, transport: "test")
            await follower.feed.publish(ChangeFeedTests.diff("B", count: 2, from: 3))
            #expect(await Self.sequences(again, count: 2) == [4, 5])
            #expect(follower.feed.epoch == writer.feed.epoch)
            let status = follower.coordinator.state.status()
            #expect(status.connected && status.role == "writer" && status.state == "ok" && status.appliedSequence == 5)
        }
    }

    @Test("a writer fenced off by a newer term stops writing and appends nothing")
    func fencedWriter() async throws {
        try await withTestPostgres { server in
            let url = try await server.createDatabase()
            let database = try await PostgresDatabase.open(url, logger: quietLogger)
            defer { database.close() }
            let paused = try await PostgresChangeJournal.open(database)
            let feed = try await ChangeFeed.shared(files: ptnTable.followedFiles, journal: paused, retention: ServeConfiguration().feedRetention, logger: quietLogger)
            try await paused.takeOver()
            feed.takeOver(try await paused.load())
            await feed.publish(ChangeFeedTests.diff("A", count: 1))
            #expect(feed.lastSequence == 1)

            // Another replica takes over while this one is paused.
            let other = try await PostgresChangeJournal.open(database)
            try await other.takeOver()
            await feed.publish(ChangeFeedTests.diff("A", count: 2, from: 1))
            #expect(!feed.isWriting && feed.lastSequence == 1)
            #expect(try await other.load().lastSequence == 1)
        }
    }
}
