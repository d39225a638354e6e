import Foundation
import Logging
import NIOCore
import NIOPosix
import Testing
@testable import PTNServe

@Suite("Data reloads: atomic swaps, and the writer's half-finished files never served")
struct DataReloaderTests {
    /// A reloader on a fresh test root, already past its start-up load.
    static func started() async throws -> (TestDataRoot, DataStore, DataReloader) {
        let root = try TestDataRoot.make()
        let store = DataStore()
        var reloader = DataReloader(root: root.url, store: store, logger: quietLogger)
        await reloader.checkAll()
        return (root, store, reloader)
    }

    static func hotkeys(_ store: DataStore, _ file: String = "positions") -> [String]? {
        store.snapshot(file)?.members?.keys
    }

    /// The whole statistics document without checkpoints, as `/statistics?checkpoints=false` sends it.
    static func withoutCheckpoints(_ snapshot: FileSnapshot) -> JSONBody? {
        let cut = IndexPlan.Cut(source: .array(path: "data", key: nil), field: "checkpoints")
        if case .success(let body)? = snapshot.index.wholeCuts[cut] { return body }
        return nil
    }

    @Test("start-up loads every file present and nothing else")
    func startup() async throws {
        let (root, store, _) = try await Self.started()
        defer { root.delete() }
        for file in ptnTable.files where file.name != "miner-copying" {
            #expect(store.snapshot(file.name) != nil, "\(file)")
        }
        #expect(store.snapshot("miner-copying") == nil)
        #expect(Self.hotkeys(store) == [TestDataRoot.hotkeyA, TestDataRoot.hotkeyB])
    }

    @Test("a version is served before its compression pass; the pass keeps the version and the bytes and adds gzip")
    func compactionKeepsTheVersion() async throws {
        let (root, store, reloader) = try await Self.started()
        defer { root.delete() }
        let positions = try #require(store.snapshot("positions"))
        let statistics = try #require(store.snapshot("statistics"))
        #expect(!positions.isCompact && positions.body.gzip == nil)
        #expect(Self.withoutCheckpoints(statistics)?.gzip == nil)
        // Tier files are compacted during the start-up load itself (their inflated documents are the bulk of memory).
        #expect(store.snapshot("positions-tier-50")?.isCompact == true)

        await reloader.compactAll()
        let compacted = try #require(store.snapshot("positions"))
        #expect(compacted.isCompact && compacted.isSameVersion(as: positions))
        let gzip = try #require(compacted.body.gzip)
        #expect(String(buffer: try Gzip.decompress(gzip)) == String(buffer: try #require(compacted.body.identity)))
        #expect(Self.withoutCheckpoints(try #require(store.snapshot("statistics")))?.gzip != nil)
        // A second pass has nothing to do.
        await reloader.compactAll()
        #expect(store.snapshot("positions") === compacted)
    }

    @Test("compacting a tier file keeps each miner's bytes, held only compressed, under the same version")
    func tierCompaction() throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let tier = try #require(ptnTable.file(named: "positions-tier-50"))
        let path = root.url.appendingPathComponent(try #require(tier.candidates.first)).path
        let loaded = try SnapshotLoader.load(tier, plan: ptnTable.indexPlan(for: tier.name), path: path)
        #expect(!loaded.isCompact)
        let before = try #require(loaded.members?.entry(for: TestDataRoot.hotkeyA)?.full.body(wantsGzip: false).identity)
        let compacted = try SnapshotLoader.compact(loaded)
        #expect(compacted.isCompact && compacted.isSameVersion(as: loaded))
        let entry = try #require(compacted.members?.entry(for: TestDataRoot.hotkeyA)?.full.body(wantsGzip: false))
        #expect(entry.identity == nil)
        #expect(try Gzip.decompress(try #require(entry.gzip)) == before)
        #expect(compacted.members?.keys == loaded.members?.keys)
    }

    @Test("start-up and a poll load alike: a tier version is compacted as it loads, the others by the compression pass")
    func oneLoadPath() async throws {
        var (root, store, reloader) = try await Self.started()
        defer { root.delete() }
        try root.write("validation/outputs/output.json", "{\"\(TestDataRoot.hotkeyB)\": {\"positions\": []}}")
        try root.write("validation/outputs/tiered_positions/50/output.json.gz", try TestDataRoot.gzip("{\"\(TestDataRoot.hotkeyB)\": {\"positions\": []}}"))
        await reloader.checkAll()
        #expect(Self.hotkeys(store) == [TestDataRoot.hotkeyB])
        #expect(store.snapshot("positions")?.isCompact == false)
        #expect(Self.hotkeys(store, "positions-tier-50") == [TestDataRoot.hotkeyB])
        #expect(store.snapshot("positions-tier-50")?.isCompact == true)
        // A poll is that same pass followed by the compression pass.
        try root.write("validation/outputs/output.json", "{\"\(TestDataRoot.hotkeyA)\": {\"positions\": []}}")
        await reloader.run()
        #expect(Self.hotkeys(store) == [TestDataRoot.hotkeyA])
        #expect(store.snapshot("positions")?.isCompact == true)
    }

    @Test("loads run on the blocking thread pool given, never on the caller's thread: a stopped pool loads nothing")
    func loadsRunOnTheThreadPool() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let store = DataStore()
        let status = DataFileStatusBoard()
        // Never started, so it refuses every work item.
        let pool = NIOThreadPool(numberOfThreads: 1)
        var reloader = DataReloader(root: root.url, table: ptnTable, store: store, logger: quietLogger, status: status, threadPool: pool)
        await reloader.checkAll()
        #expect(store.snapshot("positions") == nil)
        #expect(status.entry("positions").lastError == "the loader is shutting down")
    }

    @Test("an atomic rename is picked up on the next check")
    func atomicRename() async throws {
        var (root, store, reloader) = try await Self.started()
        defer { root.delete() }
        try root.write("validation/outputs/output.json", "{\"\(TestDataRoot.hotkeyB)\": {\"positions\": []}}")
        await reloader.checkAll()
        #expect(Self.hotkeys(store) == [TestDataRoot.hotkeyB])
    }

    @Test("a half-written file keeps the last good version until the writer finishes")
    func halfWritten() async throws {
        var (root, store, reloader) = try await Self.started()
        defer { root.delete() }
        let full = "{\"\(TestDataRoot.hotkeyB)\": {\"positions\": [], \"thirty_day_returns\": 1.0}}"
        try root.overwriteInPlace("validation/outputs/output.json", Data(full.utf8.prefix(30)))
        await reloader.checkAll()
        #expect(Self.hotkeys(store) == [TestDataRoot.hotkeyA, TestDataRoot.hotkeyB])
        try root.overwriteInPlace("validation/outputs/output.json", Data(full.utf8))
        await reloader.checkAll()
        #expect(Self.hotkeys(store) == [TestDataRoot.hotkeyB])
    }

    @Test("bad versions are refused and the last good one kept", arguments: [
        ("truncated gzip", "validation/outputs/tiered_positions/30/output.json.gz", "cut"),
        ("empty file", "validation/outputs/tiered_positions/30/output.json.gz", "empty"),
        ("invalid UTF-8", "validation/eliminations.json", "utf8"),
        ("empty JSON file", "validation/eliminations.json", "empty"),
        ("trailing garbage", "runnable/minerstatistics.json", "garbage"),
        ("truncated checkpoint", "runnable/validator_checkpoint.json.gz", "cut"),
    ])
    func refused(_ name: String, _ relative: String, _ damage: String) async throws {
        var (root, store, reloader) = try await Self.started()
        defer { root.delete() }
        let file = try #require(ptnTable.files.first { $0.candidates.contains(relative) }).name
        let before = try #require(store.snapshot(file))
        let original = try Data(contentsOf: root.path(relative))
        let damaged: Data
        switch damage {
        case "cut": damaged = original.prefix(original.count / 2)
        case "empty": damaged = Data()
        case "utf8": damaged = Data(#"{"eliminations": [{"hotkey": "\#u{0}"#.utf8) + Data([0xC3, 0x28]) + Data(#""}]}"#.utf8)
        default: damaged = original + Data(" }".utf8)
        }
        try root.write(relative, damaged)
        await reloader.checkAll()
        #expect(store.snapshot(file)?.isSameVersion(as: before) == true, "\(name)")
    }

    @Test("a deleted or unreadable file keeps its last good version; a file that appears later is loaded")
    func deletedAndAppearing() async throws {
        var (root, store, reloader) = try await Self.started()
        defer { root.delete() }
        let before = try #require(store.snapshot("eliminations"))
        try root.remove("validation/eliminations.json")
        await reloader.checkAll()
        #expect(store.snapshot("eliminations")?.isSameVersion(as: before) == true)
        try root.write("validation/eliminations.json", "{\"eliminations\": []}")
        chmod(root.path("validation/eliminations.json").path, 0)
        await reloader.checkAll()
        if getuid() != 0 {
            // root reads any file, so the permission case only bites for other users.
            #expect(store.snapshot("eliminations")?.isSameVersion(as: before) == true)
        }
        chmod(root.path("validation/eliminations.json").path, 0o644)
        try root.write("validation/miner_copying.json", "{}")
        try root.write("validation/eliminations.json", "{\"eliminations\": [], \"v\": 2}")
        await reloader.checkAll()
        #expect(store.snapshot("miner-copying") != nil)
        #expect(String(buffer: try #require(store.snapshot("eliminations")?.body.identity)) == "{\"eliminations\": [], \"v\": 2}")
    }

    @Test("a version is read once: an unchanged file is not reloaded")
    func unchangedNotReloaded() async throws {
        var (root, store, reloader) = try await Self.started()
        defer { root.delete() }
        let before = try #require(store.snapshot("positions"))
        await reloader.checkAll()
        #expect(store.snapshot("positions")?.isSameVersion(as: before) == true)
    }
}
