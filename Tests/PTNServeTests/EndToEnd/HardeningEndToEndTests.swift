import Foundation
import Testing

/// The security flags and the `keys` command, driven through the built binary as an operator would.
@Suite("End to end: keys command, security flags, graceful shutdown", .serialized, .runsProcesses)
struct HardeningEndToEndTests {
    @Test("keys add prints a key once and stores its hash; serve accepts it; keys list never shows it; revoke removes it")
    func keysCommand() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let binary = try ServerProcess.binary().path
        let file = root.path("ptn_api/api_keys.json").path
        let add = try await shell("'\(binary)' keys add erin --tier 50 --rate 30/min --api-keys '\(file)' 2>/dev/null", in: root.url)
        #expect(add.status == 0, "\(add.output)")
        let key = add.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(key.hasPrefix("ptn_"))
        #expect(!(try String(contentsOfFile: file, encoding: .utf8)).contains(key))

        let list = try await shell("'\(binary)' keys list --api-keys '\(file)'", in: root.url)
        #expect(list.status == 0)
        #expect(list.output.contains("erin\ttier 50\t30/min\thashed"))
        #expect(list.output.contains("alice\ttier 100"))
        #expect(!list.output.contains(key) && !list.output.contains(TestDataRoot.Key.tier100))

        let port = ServerProcess.freePort()
        let server = try await ServerProcess.start(["serve", "--data-dir", root.url.path, "--port", "\(port)"], port: port)
        let served = try await shell("curl -s -i -H 'Authorization: Bearer \(key)' http://127.0.0.1:\(port)/miner-hotkeys", in: root.url)
        #expect(served.output.contains("200 OK") && served.output.contains("RateLimit-Limit: 30"))

        let revoke = try await shell("'\(binary)' keys revoke erin --api-keys '\(file)'", in: root.url)
        #expect(revoke.status == 0)
        let gone = try await eventually(timeout: .seconds(5)) {
            try await shell("curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer \(key)' http://127.0.0.1:\(port)/miner-hotkeys", in: root.url)
                .output == "401"
        }
        #expect(gone)
        let output = await server.stop()
        #expect(!output.contains(key))
        #expect(server.process.terminationStatus == 0)
    }

    @Test("SIGTERM and SIGINT stop the server gracefully with exit code 0, idle keep-alive connections included")
    func gracefulShutdown() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        for signal in [SIGTERM, SIGINT] {
            let port = ServerProcess.freePort()
            let server = try await ServerProcess.start(
                ["serve", "--data-dir", root.url.path, "--port", "\(port)", "--shutdown-deadline", "3"], port: port
            )
            let idle = try RawConnection(port: port)
            idle.send("GET /miner-hotkeys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(TestDataRoot.Key.tier0)\r\n\r\n")
            #expect(await idle.readResponses(1) == [200])
            let start = ContinuousClock.now
            kill(server.process.processIdentifier, signal)
            await server.waitForExit()
            #expect(server.process.terminationStatus == 0, "signal \(signal)")
            #expect(ContinuousClock.now - start < .seconds(5))
        }
    }

    @Test("bad security flags stop the start with a usage error naming the flag", arguments: [
        ["--rate-limit", "fast"], ["--ip-rate-limit", "10/day"], ["--allow-from", "10.0.0.0/99"], ["--tls-cert", "x.pem"],
    ])
    func badFlags(_ flags: [String]) async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let binary = try ServerProcess.binary().path
        let quoted = flags.map { "'\($0)'" }.joined(separator: " ")
        let result = try await shell("'\(binary)' serve --data-dir '\(root.url.path)' --port 0 \(quoted)", in: root.url)
        #expect(result.status != 0)
        #expect(result.output.contains(flags[0]), "\(result.output)")
    }
}
