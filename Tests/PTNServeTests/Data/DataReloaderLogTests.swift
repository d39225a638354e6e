import Foundation
import Logging
import Testing
@testable import PTNServe

@Suite("What the operator is told when a data file goes bad")
struct DataReloaderLogTests {
    @Test("each refused or vanished version logs one warning naming the file and the reason, and the last good one stays", arguments: [
        ("truncated gzip", "validation/outputs/tiered_positions/30/output.json.gz", "cut"),
        ("invalid UTF-8", "validation/eliminations.json", "utf8"),
        ("0-byte file", "runnable/minerstatistics.json", "empty"),
        ("deleted file", "validation/eliminations.json", "delete"),
        ("no read permission", "validation/eliminations.json", "chmod"),
    ])
    func warning(_ name: String, _ relative: String, _ damage: String) async throws {
        if damage == "chmod", getuid() == 0 { return }  // root reads any file: nothing to refuse
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let recorder = LogRecorder()
        let store = DataStore()
        var reloader = DataReloader(root: root.url, store: store, logger: recorder.logger())
        await reloader.checkAll()
        let file = try #require(ServedFile.allCases.first { $0.candidates.contains { $0.path == relative } })
        let before = try #require(store.snapshot(file))
        let original = try Data(contentsOf: root.path(relative))
        let countBefore = recorder.lines.count
        switch damage {
        case "cut": try root.write(relative, original.prefix(original.count / 2))
        case "utf8": try root.write(relative, Data(#"{"eliminations": ["#.utf8) + Data([0xC3, 0x28]) + Data("]}".utf8))
        case "empty": try root.write(relative, Data())
        case "delete": try root.remove(relative)
        default:
            try root.write(relative, Data(#"{"eliminations": [], "v": 3}"#.utf8))
            chmod(root.path(relative).path, 0)
        }
        await reloader.checkAll()
        #expect(store.snapshot(file)?.isSameVersion(as: before) == true, "\(name)")
        let warnings = recorder.lines.dropFirst(countBefore).filter { $0.level == .warning }
        #expect(warnings.count == 1, "\(name): \(warnings.map(\.text))")
        #expect(warnings.first?.metadata["file"] == "\(file)", "\(name)")
        #expect(warnings.first?.message.contains("last good version") == true, "\(name)")
        chmod(root.path(relative).path, 0o644)
    }
}
