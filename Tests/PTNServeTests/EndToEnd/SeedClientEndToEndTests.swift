import Foundation
import Testing

/// Drives the real binary with the seed README's curl lines and Python snippet, unchanged but for address and key.
@Suite("End to end: the seed's clients against the built binary", .serialized, .runsProcesses)
struct SeedClientEndToEndTests {
    static let key = TestDataRoot.Key.tier100

    @Test("the seed README's curl commands and Python requests snippet work as written")
    func seedSnippets() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let port = ServerProcess.freePort()
        // Started the way the seed was: pointed at the validation/ folder, keys at their default place.
        let server = try await ServerProcess.start(["serve", "--data-dir", root.path("validation").path, "--port", "\(port)"], port: port)
        defer { server.terminate() }
        let work = root.path("client")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let base = "http://127.0.0.1:\(port)"

        let all = try await shell(
            #"curl -X GET \#(base)/miner-positions -H "Content-Type: application/json" -d '{"api_key": "\#(Self.key)"}' -o miner_positions.json"#,
            in: work
        )
        #expect(all.status == 0, "\(all.output)")
        #expect(try String(contentsOf: work.appendingPathComponent("miner_positions.json"), encoding: .utf8) == TestDataRoot.outputJSON())

        let tier = try await shell(
            #"curl -X GET '\#(base)/miner-positions?tier=0' -H "Content-Type: application/json" -d '{"api_key": "\#(Self.key)"}' -o miner_positions.json.gz"#,
            in: work
        )
        #expect(tier.status == 0, "\(tier.output)")
        let tierOnDisk = try Data(contentsOf: root.path("validation/outputs/tiered_positions/0/output.json.gz"))
        #expect(try Data(contentsOf: work.appendingPathComponent("miner_positions.json.gz")) == tierOnDisk)

        let checkpoint = try await shell(
            #"curl -X GET \#(base)/validator-checkpoint -H "Content-Type: application/json" -d '{"api_key": "\#(Self.key)"}' -o validator_checkpoint.json"#,
            in: work
        )
        #expect(checkpoint.status == 0, "\(checkpoint.output)")
        let curlCheckpoint = try Data(contentsOf: work.appendingPathComponent("validator_checkpoint.json"))
        #expect(sameJSON(try JSONSerialization.jsonObject(with: curlCheckpoint), try parseJSON(try TestDataRoot.checkpointJSON())))
        try FileManager.default.removeItem(at: work.appendingPathComponent("validator_checkpoint.json"))

        // The seed's Python snippet, verbatim apart from the URL and the key.
        let snippet = """
            import requests
            import json

            url = '\(base)/validator-checkpoint'
            api_key = '\(Self.key)'

            data = {
            'api_key': api_key
            }
            json_data = json.dumps(data)
            headers = {
            'Content-Type': 'application/json',
            }
            test = requests.get(url, data=json_data, headers=headers)
            print(test)
            with open('validator_checkpoint.json', 'w') as f:
                f.write(json.dumps(test.json()))
            # print(json.loads(test.json()))

            """
        try snippet.write(to: work.appendingPathComponent("snippet.py"), atomically: true, encoding: .utf8)
        let python = try await shell("python3 snippet.py", in: work)
        #expect(python.status == 0, "\(python.output)")
        #expect(python.output.contains("<Response [200]>"))
        let pythonCheckpoint = try Data(contentsOf: work.appendingPathComponent("validator_checkpoint.json"))
        #expect(sameJSON(try JSONSerialization.jsonObject(with: pythonCheckpoint), try parseJSON(try TestDataRoot.checkpointJSON())))

        let log = await server.stop()
        #expect(!log.contains(Self.key), "a key reached the log")
        #expect(!log.contains(root.url.path), "a path reached the log")
    }

    @Test("configuration from PTN_SERVE_* environment variables; a bad key file exits with code 2 and says why")
    func environmentAndStartupErrors() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let port = ServerProcess.freePort()
        try root.write("keys-elsewhere.json", #"{"env": "k-from-env-file"}"#)
        let server = try await ServerProcess.start(["serve"], port: port, environment: [
            "PTN_SERVE_DATA_DIR": root.url.path, "PTN_SERVE_API_KEYS": root.path("keys-elsewhere.json").path,
            "PTN_SERVE_HOST": "127.0.0.1", "PTN_SERVE_PORT": "\(port)",
        ])
        defer { server.terminate() }
        let hotkeys = try await shell("curl -s -H 'Authorization: Bearer k-from-env-file' http://127.0.0.1:\(port)/miner-hotkeys", in: root.url)
        #expect(hotkeys.output == "[\"\(TestDataRoot.hotkeyA)\", \"\(TestDataRoot.hotkeyB)\"]")

        let missing = Process()
        missing.executableURL = try ServerProcess.binary()
        missing.arguments = ["serve", "--data-dir", root.url.path, "--api-keys", root.path("nope.json").path, "--port", "0"]
        let errors = Pipe.closedOnExec()
        missing.standardError = errors
        missing.standardOutput = Pipe.closedOnExec()
        try missing.run()
        await offPool { missing.waitUntilExit() }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(missing.terminationStatus == 2)
        #expect(message.contains(root.path("nope.json").path))
        #expect(message.contains("--api-keys"))
    }
}
