import Foundation
import NIOCore
import Logging
import Testing
@testable import PTNServe

/// The feed over a real SQLite journal: numbering, persistence across reopenings, epochs, replay, slow followers.
@Suite("Change feed and journal")
struct ChangeFeedTests {
    static func folder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("ptn-serve-feed-\(UUID().uuidString)")
    }

    static func open(_ directory: URL?, lagLimit: Int = 100, logger: Logger = quietLogger) async throws -> ChangeFeed {
        var retention = ServeConfiguration().feedRetention
        retention.lagLimit = lagLimit
        return try await ChangeFeed.open(files: ptnTable.followedFiles, directory: directory, retention: retention, logger: logger)
    }

    /// A diff of `count` position changes of miner `key` in the real-time file.
    static func diff(_ key: String, count: Int, from: Int = 0) -> VersionDiff {
        let events = (from ..< from + count).map { index in
            ChangeEvent(
                sequence: 0, timestamp: 0, feed: "positions", kind: .itemChanged, key: key, itemKey: "p\(index)", facet: "BTCUSD",
                body: ByteBuffer(string: #"{"position_uuid": "p\#(index)"}"#)
            )
        }
        return VersionDiff(
            feed: "positions", events: events, etag: "e\(from)", upserts: [key: EntryDigest(hash: UInt64(from), items: ["p0": 1])], removals: []
        )
    }

    static let everything = FeedFilter(feeds: ["positions"])

    @Test("sequences continue across reopenings with the same epoch; baselines are kept; a lost journal starts a new epoch")
    func persistence() async throws {
        let directory = Self.folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let feed = try await Self.open(directory)
        #expect(feed.journalState == "durable" && feed.lastSequence == 0)
        await feed.publish(Self.diff("A", count: 3))
        #expect(feed.lastSequence == 3)

        let reopened = try await Self.open(directory)
        #expect(reopened.epoch == feed.epoch && reopened.lastSequence == 3)
        #expect(reopened.baseline("positions") == FeedBaseline(etag: "e0", entries: ["A": EntryDigest(hash: 0, items: ["p0": 1])]))
        await reopened.publish(Self.diff("A", count: 2, from: 3))
        let page = await reopened.page(since: 0, filter: Self.everything, limit: 10)
        #expect(page.events.map(\.sequence) == [1, 2, 3, 4, 5])
        #expect(page.events[3].itemKey == "p3" && page.events[3].facet == "BTCUSD")
        #expect(String(buffer: try #require(page.events[4].body)) == #"{"position_uuid": "p4"}"#)

        try FileManager.default.removeItem(at: directory)
        let fresh = try await Self.open(directory)
        #expect(fresh.epoch != feed.epoch && fresh.lastSequence == 0 && fresh.baseline("positions") == nil)
    }

    @Test("an unreadable journal is set aside: a new epoch, serving goes on")
    func unreadableJournal() async throws {
        let directory = Self.folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(repeating: 0x41, count: 4096).write(to: directory.appendingPathComponent("changes.sqlite"))
        let feed = try await Self.open(directory)
        #expect(feed.journalState == "durable" && feed.lastSequence == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(names.contains { $0.hasPrefix("changes.sqlite.unreadable-") })
        await feed.publish(Self.diff("A", count: 1))
        #expect(await feed.page(since: 0, filter: Self.everything, limit: 10).events.count == 1)
    }

    @Test("retention by count keeps the newest events; the page says when a since is no longer held")
    func retention() async throws {
        let directory = Self.folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        var retention = ServeConfiguration().feedRetention
        retention.maxEvents = 4
        let feed = try await ChangeFeed.open(files: ptnTable.followedFiles, directory: directory, retention: retention, logger: quietLogger)
        await feed.publish(Self.diff("A", count: 6))
        let page = await feed.page(since: 0, filter: Self.everything, limit: 10)
        #expect(page.events.map(\.sequence) == [3, 4, 5, 6])
        #expect(page.start.firstSequence == 3 && !page.start.replayAvailable)
        #expect(await feed.page(since: 2, filter: Self.everything, limit: 10).start.replayAvailable)
        let limited = await feed.page(since: 2, filter: Self.everything, limit: 2)
        #expect(limited.hasMore && limited.events.map(\.sequence) == [3, 4])
    }

    @Test("a follower gets the replay then the live events, without gap or repeat, filtered")
    func replayThenLive() async throws {
        let feed = try await Self.open(nil)
        await feed.publish(Self.diff("A", count: 3))
        await feed.publish(Self.diff("B", count: 2, from: 3))
        let follower = await feed.follow(since: 1, filter: FeedFilter(feeds: ["positions"], keys: ["A", "C"]), transport: "test")
        #expect(follower.start.replayAvailable && follower.start.lastSequence == 5)
        await feed.publish(Self.diff("C", count: 2, from: 5))
        var iterator = follower.messages()
        var sequences = [Int64]()
        while sequences.count < 4, let message = await iterator.next() {
            if case .event(let event) = message { sequences.append(event.sequence) }
        }
        #expect(sequences == [2, 3, 6, 7])
        #expect(feed.journalState == "memory")
    }

    @Test("a follower from another epoch or beyond the history is told replay is unavailable")
    func unavailableReplay() async throws {
        let feed = try await Self.open(nil)
        await feed.publish(Self.diff("A", count: 2))
        let ahead = await feed.follow(since: 50, filter: Self.everything, transport: "test")
        #expect(!ahead.start.replayAvailable && ahead.start.lastSequence == 2)
        let otherEpoch = await feed.follow(since: 0, epoch: "0123456789abcdef", filter: Self.everything, transport: "test")
        #expect(!otherEpoch.start.replayAvailable)
        let sameEpoch = await feed.follow(since: 0, epoch: feed.epoch, filter: Self.everything, transport: "test")
        #expect(sameEpoch.start.replayAvailable)
        let page = await feed.page(since: 0, epoch: "0123456789abcdef", filter: Self.everything, limit: 10)
        #expect(page.events.isEmpty && !page.start.replayAvailable)
    }

    @Test("a follower too far behind is cut off with where to resume; the others go on")
    func slowFollower() async throws {
        let feed = try await Self.open(nil, lagLimit: 3)
        let slow = await feed.follow(since: nil, filter: Self.everything, transport: "test")
        let keeping = await feed.follow(since: nil, filter: FeedFilter(feeds: ["positions"], keys: ["B"]), transport: "test")
        await feed.publish(Self.diff("A", count: 5))
        await feed.publish(Self.diff("B", count: 1, from: 5))
        var messages = [FeedMessage]()
        for await message in slow.messages() { messages.append(message) }
        #expect(messages.count == 4)
        #expect(messages.last == .cutOff(resumeAfter: 3))
        var other = keeping.messages()
        if case .event(let event)? = await other.next() { #expect(event.sequence == 6) } else { Issue.record("no event") }
    }

    @Test("a follower waiting for events is cut off too when one version overruns its buffer")
    func waitingFollowerOverrun() async throws {
        let feed = try await Self.open(nil, lagLimit: 1)
        let follower = await feed.follow(since: nil, filter: Self.everything, transport: "test")
        let collected = Task {
            var messages = [FeedMessage]()
            for await message in follower.messages() { messages.append(message) }
            return messages
        }
        // Published once the follower waits (its first next() is pending: the feed has one follower registered).
        await feed.publish(Self.diff("A", count: 3))
        let messages = await collected.value
        #expect(messages.last.map { if case .cutOff = $0 { true } else { false } } == true, "\(messages)")
    }

    @Test("a keep-alive tick reaches an idle follower")
    func keepAlive() async throws {
        let feed = try await Self.open(nil)
        let follower = await feed.follow(since: nil, filter: Self.everything, transport: "test")
        follower.keepAlive()
        var iterator = follower.messages()
        #expect(await iterator.next() == .keepAlive)
    }
}
