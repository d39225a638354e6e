import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import PTNServe

@Suite("Conditional and range requests")
struct ConditionalAndRangeTests {
    typealias Key = TestDataRoot.Key

    static func headers(_ extra: [HTTPField.Name: String] = [:], key: String = Key.tier100) -> HTTPFields {
        var fields = bearer(key)
        for (name, value) in extra { fields[name] = value }
        return fields
    }

    @Test("every data response carries a strong ETag and Last-Modified; If-None-Match and If-Modified-Since give 304")
    func revalidation() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            for uri in ["/miner-positions", "/miner-positions/\(TestDataRoot.hotkeyA)", "/miner-hotkeys", "/statistics",
                        "/statistics/\(TestDataRoot.hotkeyB)?checkpoints=false", "/eliminations", "/validator-checkpoint"] {
                let first = try await client.execute(uri: uri, method: .get, headers: Self.headers())
                let etag = try #require(first.headers[.eTag], "\(uri)")
                let lastModified = try #require(first.headers[.lastModified], "\(uri)")
                #expect(etag.hasPrefix("\"") && etag.hasSuffix("\"") && !etag.hasPrefix("W/"))
                for condition in [[HTTPField.Name.ifNoneMatch: etag], [.ifNoneMatch: "W/\(etag)"], [.ifNoneMatch: "\"x\", \(etag)"],
                                  [.ifNoneMatch: "*"], [.ifModifiedSince: lastModified]] {
                    let again = try await client.execute(uri: uri, method: .get, headers: Self.headers(condition))
                    #expect(again.status == .notModified, "\(uri) \(condition)")
                    #expect(again.body.readableBytes == 0)
                    #expect(again.headers[.eTag] == etag)
                }
                for condition in [[HTTPField.Name.ifNoneMatch: "\"other\""], [.ifModifiedSince: "Sat, 01 Jan 2000 00:00:00 GMT"],
                                  [.ifModifiedSince: "yesterday"]] {
                    let changed = try await client.execute(uri: uri, method: .get, headers: Self.headers(condition))
                    #expect(changed.status == .ok, "\(uri) \(condition)")
                }
            }
        }
    }

    @Test("tags differ per representation, per miner and per file version")
    func tagsAreSpecific() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            #expect(try await gzipFormReady(client, uri: "/miner-positions", key: Key.tier100))
            let plain = try await client.execute(uri: "/miner-positions", method: .get, headers: Self.headers())
            let zipped = try await client.execute(uri: "/miner-positions", method: .get, headers: Self.headers([.acceptEncoding: "gzip"]))
            #expect(plain.headers[.eTag] != zipped.headers[.eTag])
            let stale = try await client.execute(
                uri: "/miner-positions", method: .get, headers: Self.headers([.acceptEncoding: "gzip", .ifNoneMatch: plain.headers[.eTag]!])
            )
            #expect(stale.status == .ok)
            let a = try await client.execute(uri: "/miner-positions/\(TestDataRoot.hotkeyA)", method: .get, headers: Self.headers())
            let b = try await client.execute(uri: "/miner-positions/\(TestDataRoot.hotkeyB)", method: .get, headers: Self.headers())
            #expect(a.headers[.eTag] != b.headers[.eTag])

            try root.write("validation/outputs/output.json", "{\"\(TestDataRoot.hotkeyA)\": {\"positions\": []}}")
            let reloaded = try await eventually {
                try await client.execute(uri: "/miner-positions", method: .get, headers: Self.headers()).headers[.eTag] != plain.headers[.eTag]
            }
            #expect(reloaded)
            let revalidate = try await client.execute(
                uri: "/miner-positions", method: .get, headers: Self.headers([.ifNoneMatch: plain.headers[.eTag]!])
            )
            #expect(revalidate.status == .ok)
        }
    }

    @Test("Range on whole files: 206 slices of the representation sent, 416 past the end, full body otherwise", arguments: [
        ("bytes=0-99", 0..<100), ("bytes=100-", 100..<Int.max), ("bytes=-10", -10..<Int.max), ("bytes=5-5", 5..<6),
    ])
    func ranges(_ header: String, _ expected: Range<Int>) async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let full = Data(try TestDataRoot.outputJSON().utf8)
        let lower = expected.lowerBound < 0 ? full.count + expected.lowerBound : expected.lowerBound
        let upper = min(expected.upperBound, full.count)
        try await makeApplication(root).test(.router) { client in
            let response = try await client.execute(uri: "/miner-positions", method: .get, headers: Self.headers([.range: header]))
            #expect(response.status == .partialContent)
            #expect(response.headers[.contentRange] == "bytes \(lower)-\(upper - 1)/\(full.count)")
            #expect(Data(buffer: response.body) == full[lower..<upper])
        }
    }

    @Test("a download resumes: two ranges of the gzip tier file make the file; bad ranges are handled")
    func resumeAndEdges() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let onDisk = try Data(contentsOf: root.path("validation/outputs/tiered_positions/50/output.json.gz"))
        try await makeApplication(root).test(.router) { client in
            let uri = "/miner-positions?tier=50"
            let head = try await client.execute(uri: uri, method: .get, headers: Self.headers([.range: "bytes=0-999"]))
            #expect(head.status == .partialContent)
            #expect(head.headers[.contentEncoding] == "gzip")
            let etag = try #require(head.headers[.eTag])
            let rest = try await client.execute(uri: uri, method: .get, headers: Self.headers([.range: "bytes=1000-", .ifRange: etag]))
            #expect(rest.status == .partialContent)
            #expect(Data(buffer: head.body) + Data(buffer: rest.body) == onDisk)

            let changed = try await client.execute(uri: uri, method: .get, headers: Self.headers([.range: "bytes=1000-", .ifRange: "\"old\""]))
            #expect(changed.status == .ok)
            #expect(Data(buffer: changed.body) == onDisk)
            let beyond = try await client.execute(uri: uri, method: .get, headers: Self.headers([.range: "bytes=\(onDisk.count)-"]))
            #expect(beyond.status == .rangeNotSatisfiable)
            #expect(beyond.headers[.contentRange] == "bytes */\(onDisk.count)")
            #expect(beyond.errorMessage == "Requested range not satisfiable")
            for ignored in ["bytes=0-1,5-6", "items=0-5", "bytes=abc", "bytes=9-3"] {
                let whole = try await client.execute(uri: uri, method: .get, headers: Self.headers([.range: ignored]))
                #expect(whole.status == .ok, "\(ignored)")
            }
            // Ranges apply to stored bytes only: one miner's slice, and the checkpoint inflated for a plain client, go whole.
            for whole in ["/miner-positions/\(TestDataRoot.hotkeyA)", "/validator-checkpoint"] {
                let response = try await client.execute(uri: whole, method: .get, headers: Self.headers([.range: "bytes=0-9"]))
                #expect(response.status == .ok)
                #expect(response.body.readableBytes > 10)
            }
        }
    }

    @Test("HTTP dates round-trip and reject other formats")
    func httpDates() {
        #expect(HTTPDate.format(seconds: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT") == nil)
        #expect(HTTPDate.parse("") == nil)
    }
}
