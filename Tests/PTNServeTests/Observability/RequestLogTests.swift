import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InMemoryLogging
import Logging
import Synchronization
import Testing
@testable import PTNServe

@Suite("Request logs and request ids")
struct RequestLogTests {
    typealias Key = TestDataRoot.Key

    static func capturingLogger() -> (Logger, InMemoryLogHandler) {
        let handler = InMemoryLogHandler()
        var logger = Logger(label: "request-log-test") { _ in handler }
        logger.logLevel = .info
        return (logger, handler)
    }

    @Test("one line per request: method, route, status, bytes, duration, alias and the id the response carries")
    func oneLinePerRequest() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let (logger, handler) = Self.capturingLogger()
        try await makeApplication(root, logger: logger).test(.router) { client in
            let response = try await client.execute(
                uri: "/statistics/\(TestDataRoot.hotkeyA)?checkpoints=false", method: .get, headers: bearer(Key.tier50)
            )
            #expect(response.status == .ok)
            let id = try #require(response.headers[RequestIDHeader.name])
            #expect(id.count > 16 && id.allSatisfy(\.isHexDigit))
            let lines = handler.entries.filter { $0.message.description == "request" }
            #expect(lines.count == 1)
            let metadata = try #require(lines.first?.metadata)
            #expect(metadata["method"] == "GET")
            #expect(metadata["route"] == "/statistics/{hotkey}")
            #expect(metadata["status"]?.description == "200")
            #expect(metadata["bytes"]?.description == String(response.body.readableBytes))
            #expect(metadata["alias"] == "bob")
            // Hummingbird's id, the only one: no second id beside it.
            #expect(metadata["hb.request.id"]?.description == id)
            #expect(metadata.keys.filter { $0.lowercased().contains("id") } == ["hb.request.id"])
            #expect(Double(metadata["duration_ms"]?.description ?? "") != nil)
        }
    }

    @Test("a sane client id is echoed and logged as the request's id; anything else is replaced; errors carry an id too")
    func clientIds() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let (logger, handler) = Self.capturingLogger()
        try await makeApplication(root, logger: logger).test(.router) { client in
            let echoed = try await client.execute(
                uri: "/miner-hotkeys", method: .get, headers: [.authorization: "Bearer \(Key.tier0)", RequestIDHeader.name: "trace-42.a:b_c"]
            )
            #expect(echoed.headers[RequestIDHeader.name] == "trace-42.a:b_c")
            let replaced = try await client.execute(uri: "/miner-hotkeys", method: .get, headers: [RequestIDHeader.name: "bad id\u{7f}"])
            #expect(replaced.status == .unauthorized)
            let long = try await client.execute(uri: "/nothing", method: .get, headers: [RequestIDHeader.name: String(repeating: "a", count: 129)])
            #expect(long.status == .notFound)
            let generated = [replaced, long].compactMap { $0.headers[RequestIDHeader.name] }
            #expect(generated.count == 2 && Set(generated).count == 2)
            #expect(generated.allSatisfy { $0.count > 16 && $0.allSatisfy(\.isHexDigit) })
            let logged = handler.entries.filter { $0.message.description == "request" }.compactMap { $0.metadata["hb.request.id"]?.description }
            #expect(logged == ["trace-42.a:b_c"] + generated)
        }
    }

    @Test("no log line holds a key or a file system path, whichever way the key came")
    func noSecretsInLogs() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let (logger, handler) = Self.capturingLogger()
        try await makeApplication(root, allowQueryKey: true, logger: logger).test(.router) { client in
            _ = try await client.execute(uri: "/eliminations?api_key=\(Key.tier0)", method: .get)
            _ = try await client.execute(uri: "/eliminations", method: .get, headers: [.contentType: "application/json"],
                                         body: ByteBuffer(string: #"{"api_key": "\#(Key.tier30)"}"#))
            _ = try await client.execute(uri: "/eliminations", method: .get, headers: bearer("k-wrong-key-123"))
            try root.write("validation/eliminations.json", "{\"eliminations\": [")
            _ = await eventually { handler.entries.contains { $0.message.description.contains("not loaded") } }
        }
        #expect(handler.entries.filter { $0.message.description == "request" }.count == 3)
        for entry in handler.entries {
            let text = "\(entry.message) \(entry.metadata)"
            for secret in [Key.tier0, Key.tier30, "k-wrong-key-123", root.url.path, "validation/", "api_key"] {
                #expect(!text.contains(secret), "\(text)")
            }
        }
    }

    @Test("the JSON log format writes one parseable object per line with the metadata as fields")
    func jsonFormat() throws {
        let lines = LineSink()
        var logger = Logger(label: "json-test") { label in LogLineHandler(label: label, format: .json, write: { lines.append($0) }) }
        logger[metadataKey: "hb.request.id"] = "abc123"
        logger.info("request", metadata: ["status": .stringConvertible(200), "alias": "alice"])
        let written = lines.all
        #expect(written.count == 1)
        #expect(written[0].hasSuffix("\n") && written[0].dropLast().contains("\n") == false)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(written[0].utf8)) as? [String: Any])
        #expect(object["message"] as? String == "request")
        #expect(object["level"] as? String == "info")
        #expect(object["label"] as? String == "json-test")
        #expect(object["hb.request.id"] as? String == "abc123")
        #expect(object["status"] as? String == "200")
        #expect(object["alias"] as? String == "alice")
        #expect((object["ts"] as? String)?.contains("T") == true)
    }
}

extension RequestLogTests {
    @Test("the text format is swift-log's layout: UTC time, level, label, sorted metadata, source, message")
    func textFormat() throws {
        let lines = LineSink()
        var logger = Logger(label: "text-test") { label in LogLineHandler(label: label, format: .text, write: { lines.append($0) }) }
        logger[metadataKey: "hb.request.id"] = "abc123"
        logger.debug("not written at the default level")
        logger.warning("slow disk", metadata: ["file": "output.json", "attempt": .stringConvertible(2)])
        let written = lines.all
        #expect(written.count == 1)
        let line = try #require(written.first)
        let pattern = #/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0000 warning text-test: attempt=2 file=output.json hb.request.id=abc123 \[PTNServeTests\] slow disk\n$/#
        #expect(line.wholeMatch(of: pattern) != nil, "\(line)")
    }
}

/// Collects written log lines across threads.
final class LineSink: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}
