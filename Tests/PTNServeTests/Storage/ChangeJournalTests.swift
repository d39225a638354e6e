import Foundation
import NIOCore
import SQLiteNIO
import Testing
@testable import PTNServe

/// The `ChangeJournal` contract, written once and run against every engine: numbering inside the append, what an
/// event keeps, filters and limits, baselines, trims, and what survives a reopening.
@Suite("Change journal: one suite, every engine", .runsProcesses)
struct ChangeJournalTests {
    static func event(_ key: String?, _ item: String?, feed: String = "positions", kind: ChangeEvent.Kind = .itemChanged, pair: String? = "BTCUSD") -> ChangeEvent {
        ChangeEvent(
            sequence: 0, timestamp: 0, feed: feed, kind: kind, key: key, itemKey: item, facet: pair,
            body: item.map { ByteBuffer(string: #"{"position_uuid": "\#($0)"}"#) }
        )
    }

    static let positions = FeedFilter(feeds: ["positions"])

    @Test("a new journal has an epoch and no history; appends are numbered from 1 inside the write, and read back whole", arguments: StorageEngine.allCases)
    func numbering(engine: StorageEngine) async throws {
        try await engine.withJournals { open in
            let journal = try await open()
            let empty = try await journal.load()
            #expect(empty.epoch.count == 16 && empty.lastSequence == 0 && empty.baselines.isEmpty)
            #expect(try await journal.oldestSequence() == nil)
            let first = try await journal.append([Self.event("A", "p1"), Self.event("B", "p2", pair: "ETHUSD")], timestamp: 1000, baselines: [])
            #expect(first.map(\.sequence) == [1, 2] && first.allSatisfy { $0.timestamp == 1000 })
            let version = ChangeEvent(sequence: 0, timestamp: 0, feed: "statistics", kind: .newVersion, etag: "abc", size: 42)
            let second = try await journal.append([version], timestamp: 2000, baselines: [])
            #expect(second.map(\.sequence) == [3])

            let all = try await journal.events(after: 0, through: .max, filter: FeedFilter(feeds: ["positions", "statistics"]), limit: 10)
            #expect(all == first + second)
            #expect(String(buffer: try #require(all[0].body)) == #"{"position_uuid": "p1"}"#)
            #expect(all[2].body == nil && all[2].key == nil && all[2].etag == "abc" && all[2].size == 42)
            #expect(try await journal.load().lastSequence == 3)
            #expect(try await journal.oldestSequence() == 1)
        }
    }

    @Test("reads honour after, through, limit and the feed, key and trade pair filters", arguments: StorageEngine.allCases)
    func filters(engine: StorageEngine) async throws {
        try await engine.withJournals { open in
            let journal = try await open()
            _ = try await journal.append(
                [Self.event("A", "p1"), Self.event("B", "p2", pair: "ETHUSD"), Self.event("A", "p3", pair: "ETHUSD"), Self.event("C", nil, feed: "other", kind: .keyAdded, pair: nil)],
                timestamp: 1, baselines: []
            )
            func sequences(_ filter: FeedFilter, after: Int64 = 0, through: Int64 = .max, limit: Int = 10) async throws -> [Int64] {
                try await journal.events(after: after, through: through, filter: filter, limit: limit).map(\.sequence)
            }
            #expect(try await sequences(Self.positions) == [1, 2, 3])
            #expect(try await sequences(Self.positions, after: 1, through: 2) == [2])
            #expect(try await sequences(Self.positions, limit: 2) == [1, 2])
            #expect(try await sequences(FeedFilter(feeds: ["positions"], keys: ["A"])) == [1, 3])
            #expect(try await sequences(FeedFilter(feeds: ["positions"], facets: ["ETHUSD"])) == [2, 3])
            #expect(try await sequences(FeedFilter(feeds: ["positions", "other"], keys: ["C", "B"])) == [2, 4])
            #expect(try await sequences(FeedFilter(feeds: [])) == [])
        }
    }

    @Test("baselines: etags replaced, entries upserted and removed, all with the events", arguments: StorageEngine.allCases)
    func baselines(engine: StorageEngine) async throws {
        try await engine.withJournals { open in
            let journal = try await open()
            let a = EntryDigest(hash: 1, items: ["p1": 10])
            let b = EntryDigest(hash: 2, items: [:])
            _ = try await journal.append([], timestamp: 1, baselines: [BaselineUpdate(feed: "positions", etag: "e1", upserts: ["A": a, "B": b], removals: [])])
            #expect(try await journal.load().baselines["positions"] == FeedBaseline(etag: "e1", entries: ["A": a, "B": b]))
            let changed = EntryDigest(hash: 3, items: ["p1": 11, "p2": 12])
            let numbered = try await journal.append(
                [Self.event("A", "p2")], timestamp: 2,
                baselines: [
                    BaselineUpdate(feed: "positions", etag: "e2", upserts: ["A": changed], removals: ["B"]),
                    BaselineUpdate(feed: "statistics", etag: "s1", upserts: [:], removals: []),
                ]
            )
            #expect(numbered.map(\.sequence) == [1])
            let contents = try await journal.load()
            #expect(contents.baselines["positions"] == FeedBaseline(etag: "e2", entries: ["A": changed]))
            #expect(contents.baselines["statistics"] == FeedBaseline(etag: "s1"))
            #expect(contents.lastSequence == 1)
        }
    }

    @Test("trims by age and count; numbering goes on after a trim that empties the history", arguments: StorageEngine.allCases)
    func trims(engine: StorageEngine) async throws {
        try await engine.withJournals { open in
            let journal = try await open()
            _ = try await journal.append((1...3).map { Self.event("A", "p\($0)") }, timestamp: 100, baselines: [])
            _ = try await journal.append((4...6).map { Self.event("A", "p\($0)") }, timestamp: 200, baselines: [])
            try await journal.trim(olderThan: 150, keeping: 100, lastSequence: 6)
            #expect(try await journal.oldestSequence() == 4)
            try await journal.trim(olderThan: 0, keeping: 2, lastSequence: 6)
            #expect(try await journal.events(after: 0, through: .max, filter: Self.positions, limit: 10).map(\.sequence) == [5, 6])
            let statistics = try await journal.statistics()
            #expect(statistics.oldestSequence == 5 && statistics.eventCount == 2 && statistics.bytes > 0)
            try await journal.trim(olderThan: 1000, keeping: 0, lastSequence: 6)
            #expect(try await journal.oldestSequence() == nil)
            #expect(try await journal.load().lastSequence == 6)
            #expect(try await journal.append([Self.event("A", "p7")], timestamp: 300, baselines: []).map(\.sequence) == [7])
        }
    }

    @Test("a reopened journal keeps its epoch, its numbers and its baselines", arguments: StorageEngine.durable)
    func reopening(engine: StorageEngine) async throws {
        try await engine.withJournals { open in
            let first = try await open()
            let epoch = try await first.load().epoch
            _ = try await first.append(
                [Self.event("A", "p1"), Self.event("A", "p2")], timestamp: 1,
                baselines: [BaselineUpdate(feed: "positions", etag: "e1", upserts: ["A": EntryDigest(hash: 9, items: [:])], removals: [])]
            )
            let second = try await open()
            let contents = try await second.load()
            #expect(contents.epoch == epoch && contents.lastSequence == 2 && contents.baselines["positions"]?.etag == "e1")
            #expect(try await second.append([Self.event("A", "p3")], timestamp: 2, baselines: []).map(\.sequence) == [3])
            #expect(try await second.events(after: 0, through: .max, filter: Self.positions, limit: 10).map(\.itemKey) == ["p1", "p2", "p3"])
        }
    }

    @Test("a journal written before facets were declared (its column named trade_pair) opens with its events' facets", arguments: StorageEngine.durable)
    func facetColumnMigrated(engine: StorageEngine) async throws {
        let events = [Self.event("A", "p1"), Self.event("B", "p2", pair: "ETHUSD")]
        let ethereum = FeedFilter(feeds: ["positions"], facets: ["ETHUSD"])
        switch engine {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ptn-serve-journal-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let path = folder.appendingPathComponent("changes.sqlite").path
            _ = try await SQLiteChangeJournal.open(path: path, logger: quietLogger).append(events, timestamp: 1, baselines: [])
            let old = try await SQLiteConnection.open(storage: .file(path: path), logger: quietLogger)
            _ = try await old.query("ALTER TABLE events RENAME COLUMN facet TO trade_pair")
            try await (old.close() as EventLoopFuture<Void>).get()
            let reopened = try await SQLiteChangeJournal.open(path: path, logger: quietLogger)
            #expect(try await reopened.events(after: 0, through: .max, filter: ethereum, limit: 10).map(\.facet) == ["ETHUSD"])
        case .postgres:
            try await withTestPostgres { server in
                let url = try await server.createDatabase()
                let databases = DatabaseList()
                defer { databases.closeAll() }
                let database = try await databases.open(url)
                let journal = try await PostgresChangeJournal.open(database)
                try await journal.takeOver()
                _ = try await journal.append(events, timestamp: 1, baselines: [])
                try await database.client.query("ALTER TABLE journal_events RENAME COLUMN facet TO trade_pair", logger: quietLogger)
                let reopened = try await PostgresChangeJournal.open(try await databases.open(url))
                #expect(try await reopened.events(after: 0, through: .max, filter: ethereum, limit: 10).map(\.facet) == ["ETHUSD"])
            }
        case .memory:
            break
        }
    }
}
