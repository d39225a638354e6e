import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import PTNServe

@Suite("Reloads while serving")
struct LiveReloadTests {
    typealias Key = TestDataRoot.Key

    static func version(_ n: Int) -> String {
        "{\"\(TestDataRoot.hotkeyA)\": {\"positions\": [], \"thirty_day_returns\": \(n).5, \"n_positions\": \(n)}}"
    }

    @Test("a renamed-in output.json is served on a following check; a file that appears later is picked up")
    func renameVisible() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try root.remove("validation/eliminations.json")
        try await makeApplication(root).test(.router) { client in
            let missing = try await client.execute(uri: "/eliminations", method: .get, headers: bearer(Key.tier0))
            #expect(missing.status == .notFound)
            try root.write("validation/outputs/output.json", Self.version(7))
            try root.write("validation/eliminations.json", #"{"eliminations": []}"#)
            let visible = try await eventually {
                let response = try await client.execute(uri: "/miner-positions", method: .get, headers: bearer(Key.tier100))
                return response.text == Self.version(7)
            }
            #expect(visible)
            let appeared = try await eventually {
                let response = try await client.execute(uri: "/eliminations", method: .get, headers: bearer(Key.tier0))
                return response.text == #"{"eliminations": []}"#
            }
            #expect(appeared)
        }
    }

    @Test("while the validator rewrites output.json 100 times (half in place), clients get no 5xx and only whole versions")
    func noTornReads() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try root.write("validation/outputs/output.json", Self.version(0))
        var config = root.configuration()
        // 1 600 requests from one key: the rate limit is not what is under test.
        config.security.rateLimits.keyRate = RateSpec(count: 1_000_000, periodSeconds: 60)
        try await buildApplication(config, logger: quietLogger).test(.router) { client in
            let versions = Set((0...100).map(Self.version))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for n in 1...100 {
                        let text = Self.version(n)
                        if n.isMultiple(of: 2) {
                            try root.write("validation/outputs/output.json", text)
                        } else {
                            // A slow in-place writer: the first half, a pause, then the whole file.
                            try root.overwriteInPlace("validation/outputs/output.json", Data(text.utf8.prefix(text.utf8.count / 2)))
                            try await Task.sleep(for: .milliseconds(30))
                            try root.overwriteInPlace("validation/outputs/output.json", Data(text.utf8))
                        }
                        try await Task.sleep(for: .milliseconds(20))
                    }
                }
                for _ in 0..<2 { group.addTask {
                    for _ in 0..<400 {
                        let response = try await client.execute(uri: "/miner-positions", method: .get, headers: bearer(Key.tier100))
                        #expect(response.status == .ok)
                        #expect(versions.contains(response.text), "torn or unknown body: \(response.text.prefix(80))")
                        let one = try await client.execute(
                            uri: "/miner-positions/\(TestDataRoot.hotkeyA)", method: .get, headers: bearer(Key.tier100)
                        )
                        #expect(one.status == .ok)
                    }
                } }
                try await group.waitForAll()
            }
        }
    }
}
