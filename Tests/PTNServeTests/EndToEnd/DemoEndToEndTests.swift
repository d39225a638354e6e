import Foundation
import NIOCore
import Testing
@testable import PTNServe

/// `ptn-serve demo` as a newcomer runs it: the printed curl lines must fetch real-looking data.
@Suite("End to end: the demo")
struct DemoEndToEndTests {
    @Test("every curl line the demo prints works as pasted")
    func printedCurlLinesWork() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ptn-serve-demo-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = ServerProcess.freePort()
        let server = try await ServerProcess.start(["demo", "--out", folder.path, "--port", "\(port)"], port: port)
        defer { server.stop() }

        var banner = ""
        let deadline = ContinuousClock.now + .seconds(60)
        while !banner.contains("Stop with Ctrl-C."), ContinuousClock.now < deadline {
            let handle = server.output.fileHandleForReading
            // A blocking read: on its own thread, so the cooperative pool keeps serving the other tests.
            banner += await offPool { String(decoding: handle.availableData, as: UTF8.self) }
        }
        #expect(banner.contains("http://127.0.0.1:\(port)"))
        let curlLines = banner.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("curl ") }
        #expect(curlLines.count >= 6)

        let work = folder.appendingPathComponent("client")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        for line in curlLines {
            let result = try await shell(line + " -w '\\n%{http_code}'", in: work)
            #expect(result.status == 0, "\(line)")
            #expect(result.output.hasSuffix("200"), "\(line) → \(result.output.suffix(200))")
        }
        // The files the lines saved are the data set's JSON.
        let saved = try FileManager.default.contentsOfDirectory(atPath: work.path)
        #expect(saved.count >= 3)
        for name in saved {
            var bytes = ByteBuffer(data: try Data(contentsOf: work.appendingPathComponent(name)))
            if name.hasSuffix(".gz") { bytes = try Gzip.decompress(bytes) }
            #expect(throws: Never.self, "\(name)") { try bytes.withUnsafeReadableBytes { try JSONScanner.validate($0) } }
        }
    }
}
