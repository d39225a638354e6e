import Foundation
import Testing
@testable import PTNServe

/// The data explorer and the operator console in a real browser: headless Chromium driven by Playwright
/// (`Tests/Browser/explorer_console_check.py`) against `ptn-serve demo`. The screenshots go to a temporary folder, or
/// to `PTN_SERVE_SCREENSHOTS` when set (`scripts/screenshots.sh` sets it to `docs/screenshots/` to refresh those).
@Suite("End to end: explorer and console in Chromium", .runsProcesses)
struct BrowserEndToEndTests {
    static let script = TestDataRoot.packageRoot.appendingPathComponent("Tests/Browser/explorer_console_check.py")

    /// Where the screenshots of one test go: never into the source tree unless asked.
    static func screenshots(in folder: URL) -> URL {
        ProcessInfo.processInfo.environment["PTN_SERVE_SCREENSHOTS"].map { URL(fileURLWithPath: $0) }
            ?? folder.appendingPathComponent("screenshots")
    }

    @Test("explorer: key, leaderboard, miner page, filter, live change, locked views, injection as text; console: add, use, revoke")
    func pagesInChromium() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ptn-serve-browser-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (port, wsPort, consolePort) = (ServerProcess.freePort(), ServerProcess.freePort(), ServerProcess.freePort())
        let server = try await ServerProcess.start(
            ["demo", "--out", folder.path, "--port", "\(port)", "--ws-port", "\(wsPort)", "--metrics-port", "\(consolePort)", "--tick", "3"],
            port: port
        )
        defer { server.terminate() }

        let banner = await server.output(until: "Stop with Ctrl-C.")
        #expect(banner.contains("data explorer     http://127.0.0.1:\(port)/"))
        #expect(banner.contains("operator console  http://127.0.0.1:\(consolePort)/"))
        // "  tier 100  <key>  (demo-tier-100)"
        var keys = [Int: String]()
        for line in banner.split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.count == 4, words[0] == "tier", let tier = Int(words[1]) { keys[tier] = String(words[2]) }
        }
        let key100 = try #require(keys[100])
        let key0 = try #require(keys[0])
        let screenshots = Self.screenshots(in: folder)

        let command = [
            "timeout 600 python3", Self.script.path,
            "--explorer http://127.0.0.1:\(port)", "--console http://127.0.0.1:\(consolePort)",
            "--key100 \(key100)", "--key0 \(key0)", "--data-dir '\(folder.path)'", "--screenshots '\(screenshots.path)'",
        ].joined(separator: " ")
        let result = try await shell(command, in: folder)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("browser checks passed"), "\(result.output)")
        for name in ["explorer-routes", "explorer-leaderboard", "explorer-miner", "explorer-browse", "explorer-api", "explorer-locked", "console"] {
            #expect(FileManager.default.fileExists(atPath: screenshots.appendingPathComponent("\(name).png").path), "\(name).png")
        }
    }

    @Test("another subnet's table: no PTN views, every route browsable with its entries listed, tier locks")
    func otherSubnetInChromium() async throws {
        let root = try ExampleSubnet.makeRoot()
        defer { root.delete() }
        let port = ServerProcess.freePort()
        let server = try await ExampleSubnet.serve(root, port: port)
        defer { server.terminate() }
        let script = TestDataRoot.packageRoot.appendingPathComponent("Tests/Browser/other_subnet_check.py")
        let command = [
            "timeout 300 python3", script.path, "--explorer http://127.0.0.1:\(port)", "--key \(ExampleSubnet.goldKey)",
            "--low-key \(ExampleSubnet.freeKey)", "--screenshots '\(Self.screenshots(in: root.url).path)'",
        ].joined(separator: " ")
        let result = try await shell(command, in: root.url)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("other subnet checks passed"), "\(result.output)")
    }
}
