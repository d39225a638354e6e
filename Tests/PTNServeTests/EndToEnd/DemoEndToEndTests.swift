import Foundation
import NIOCore
import Testing
@testable import PTNServe

/// `ptn-serve demo` as a newcomer runs it: the printed curl lines must fetch real-looking data.
@Suite("End to end: the demo", .runsProcesses)
struct DemoEndToEndTests {
    @Test("every curl line the demo prints works as pasted; its stream moves, over SSE and the WebSocket line it prints")
    func printedCurlLinesWork() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ptn-serve-demo-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = ServerProcess.freePort()
        let wsPort = ServerProcess.freePort()
        let server = try await ServerProcess.start(
            ["demo", "--out", folder.path, "--port", "\(port)", "--ws-port", "\(wsPort)", "--metrics-port", "0", "--tick", "3"], port: port
        )
        defer { server.terminate() }

        let banner = await server.output(until: "Stop with Ctrl-C.")
        #expect(banner.contains("http://127.0.0.1:\(port)"))
        let curlLines = banner.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("curl ") }
        #expect(curlLines.count >= 6)

        let work = folder.appendingPathComponent("client")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        for line in curlLines where !line.contains(" -sN ") {
            let result = try await shell(line + " -w '\\n%{http_code}'", in: work)
            #expect(result.status == 0, "\(line)")
            #expect(result.output.hasSuffix("200"), "\(line) → \(result.output.suffix(200))")
        }
        // The stream line: within a few ticks of the simulated validator, position events arrive. Read until the first
        // one (sed prints each line and quits after it), however long a busy machine makes the ticks, two minutes at most.
        let stream = try #require(curlLines.first { $0.contains(" -sN ") && $0.hasSuffix("/events") })
        let streamed = try await shell(stream + " --max-time 120 | sed '/^event: item_\\(added\\|changed\\)/q'", in: work).output
        #expect(streamed.contains("event: hello"))
        #expect(streamed.contains("event: item_added") || streamed.contains("event: item_changed"), "\(streamed.prefix(300))")
        // The WebSocket lines: the URL printed, then the two frames to send; position frames follow.
        let lines = banner.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let wsLine = try #require(lines.firstIndex { $0.hasPrefix("python3 -m websockets ") })
        let wsURL = String(lines[wsLine].split(separator: " ")[3])
        #expect(wsURL == "ws://127.0.0.1:\(wsPort)")
        try WebSocketClientScripts.exchange.write(to: work.appendingPathComponent("exchange.py"), atomically: true, encoding: .utf8)
        let frames = [lines[wsLine + 1], lines[wsLine + 2]].map { "'\($0)'" }.joined(separator: " ")
        // Up to 25 s between frames: a tick's new version is written, loaded and diffed by a debug build on a busy machine.
        let exchanged = try await shell("PTN_EXCHANGE_UNTIL_POSITION=1 python3 exchange.py \(wsURL) 25 \(frames)", in: work).output
        let received = try #require(try JSONSerialization.jsonObject(with: Data(exchanged.utf8)) as? [String: Any])["received"] as? [[String: Any]] ?? []
        #expect(received.first?["status"] as? String == "success")
        #expect(received.contains { ($0["data"] as? [String: Any])?["position"] != nil }, "\(exchanged.prefix(300))")
        try? FileManager.default.removeItem(at: work.appendingPathComponent("exchange.py"))
        try? FileManager.default.removeItem(at: work.appendingPathComponent("exchange.progress"))

        // The files the lines saved are the data set's JSON.
        let saved = try FileManager.default.contentsOfDirectory(atPath: work.path)
        #expect(saved.count >= 3)
        for name in saved {
            var bytes = ByteBuffer(data: try Data(contentsOf: work.appendingPathComponent(name)))
            if name.hasSuffix(".gz") { bytes = try Gzip.decompress(bytes) }
            #expect(throws: Never.self, "\(name)") { try bytes.withUnsafeReadableBytes { try JSONScanner.validate($0) } }
        }
    }

    @Test("the banner is printed once every port answers: a line pasted at once works")
    func bannerAfterListening() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ptn-serve-demo-banner-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (port, wsPort, consolePort) = (ServerProcess.freePort(), ServerProcess.freePort(), ServerProcess.freePort())
        let server = try ServerProcess.launch(
            ["demo", "--out", folder.path, "--port", "\(port)", "--ws-port", "\(wsPort)", "--metrics-port", "\(consolePort)", "--tick", "0"], port: port
        )
        defer { server.terminate() }
        let banner = await server.output(until: "Stop with Ctrl-C.")
        #expect(banner.contains("Stop with Ctrl-C."))
        #expect(ServerProcess.canConnect(port: port) && ServerProcess.canConnect(port: wsPort) && ServerProcess.canConnect(port: consolePort))
    }
}
