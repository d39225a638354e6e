import Foundation
import Logging
import NIOCore
import Testing
@testable import PTNServe

@Suite("Data reloads: atomic swaps, and the writer's half-finished files never served")
struct DataReloaderTests {
    /// A reloader on a fresh test root, already past its start-up load.
    static func started() throws -> (TestDataRoot, DataStore, DataReloader) {
        let root = try TestDataRoot.make()
        let store = DataStore()
        var reloader = DataReloader(root: root.url, store: store, logger: quietLogger)
        reloader.checkAllBlocking()
        return (root, store, reloader)
    }

    static func hotkeys(_ store: DataStore, _ file: ServedFile = .positions) -> [String]? {
        store.snapshot(file)?.positions?.hotkeys
    }

    @Test("start-up loads every file present and nothing else")
    func startup() throws {
        let (root, store, _) = try Self.started()
        defer { root.delete() }
        for file in ServedFile.allCases where file != .minerCopying {
            #expect(store.snapshot(file) != nil, "\(file)")
        }
        #expect(store.snapshot(.minerCopying) == nil)
        #expect(Self.hotkeys(store) == [TestDataRoot.hotkeyA, TestDataRoot.hotkeyB])
    }

    @Test("an atomic rename is picked up on the next check")
    func atomicRename() async throws {
        var (root, store, reloader) = try Self.started()
        defer { root.delete() }
        try root.write("validation/outputs/output.json", "{\"\(TestDataRoot.hotkeyB)\": {\"positions\": []}}")
        await reloader.checkAll()
        #expect(Self.hotkeys(store) == [TestDataRoot.hotkeyB])
    }

    @Test("a half-written file keeps the last good version until the writer finishes")
    func halfWritten() async throws {
        var (root, store, reloader) = try Self.started()
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
        var (root, store, reloader) = try Self.started()
        defer { root.delete() }
        let file = try #require(ServedFile.allCases.first { $0.candidates.contains { $0.path == relative } })
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
        #expect(store.snapshot(file) === before, "\(name)")
    }

    @Test("a deleted or unreadable file keeps its last good version; a file that appears later is loaded")
    func deletedAndAppearing() async throws {
        var (root, store, reloader) = try Self.started()
        defer { root.delete() }
        let before = try #require(store.snapshot(.eliminations))
        try root.remove("validation/eliminations.json")
        await reloader.checkAll()
        #expect(store.snapshot(.eliminations) === before)
        try root.write("validation/eliminations.json", "{\"eliminations\": []}")
        chmod(root.path("validation/eliminations.json").path, 0)
        await reloader.checkAll()
        if getuid() != 0 {
            // root reads any file, so the permission case only bites for other users.
            #expect(store.snapshot(.eliminations) === before)
        }
        chmod(root.path("validation/eliminations.json").path, 0o644)
        try root.write("validation/miner_copying.json", "{}")
        try root.write("validation/eliminations.json", "{\"eliminations\": [], \"v\": 2}")
        await reloader.checkAll()
        #expect(store.snapshot(.minerCopying) != nil)
        #expect(String(buffer: try #require(store.snapshot(.eliminations)?.body.identity)) == "{\"eliminations\": [], \"v\": 2}")
    }

    @Test("a version is read once: an unchanged file is not reloaded")
    func unchangedNotReloaded() async throws {
        var (root, store, reloader) = try Self.started()
        defer { root.delete() }
        let before = try #require(store.snapshot(.positions))
        await reloader.checkAll()
        #expect(store.snapshot(.positions) === before)
    }
}
