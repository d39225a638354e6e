import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import PTNServe

@Suite("Liveness and readiness")
struct HealthTests {
    /// The `/ready` body.
    static func readiness(_ response: TestResponse) throws -> [String: Any] {
        try #require(try response.json() as? [String: Any])
    }

    static func file(_ body: [String: Any], _ name: String) -> [String: Any]? {
        (body["files"] as? [String: Any])?[name] as? [String: Any]
    }

    @Test("/health answers 200 without a key and reveals nothing")
    func health() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let response = try await client.execute(uri: "/health", method: .get)
            #expect(response.status == .ok)
            #expect(sameJSON(try response.json(), try parseJSON(#"{"status": "ok"}"#)))
            #expect(try await client.execute(uri: "/health", method: .post).status == .methodNotAllowed)
            #expect(try await client.execute(uri: "/health", method: .head).status == .ok)
        }
    }

    @Test("/ready is 200 with every file's state when the positions are loaded; no path, no data")
    func ready() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            let response = try await client.execute(uri: "/ready", method: .get)
            #expect(response.status == .ok)
            let body = try Self.readiness(response)
            #expect(body["status"] as? String == "ready")
            #expect(body["stale_after_seconds"] as? Double == 600)
            #expect(Self.file(body, "positions")?["state"] as? String == "loaded")
            #expect(Self.file(body, "positions")?["required"] as? Bool == true)
            #expect(Self.file(body, "miner-copying")?["state"] as? String == "missing")
            #expect(Self.file(body, "statistics")?["required"] as? Bool == false)
            let age = try #require(Self.file(body, "statistics")?["version_age_seconds"] as? Double)
            #expect(age >= 0 && age < 600)
            #expect((body["files"] as? [String: Any])?.count == ptnTable.files.count)
            #expect(!response.text.contains(root.url.path))
            #expect(!response.text.contains("validation/"))
            #expect(!response.text.contains(TestDataRoot.hotkeyA))
        }
    }

    @Test("/ready is 503 without the positions; other files missing are reported, not fatal")
    func notReady() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try root.remove("validation/outputs")
        try root.remove("validation/eliminations.json")
        try await makeApplication(root).test(.router) { client in
            let response = try await client.execute(uri: "/ready", method: .get)
            #expect(response.status == .serviceUnavailable)
            let body = try Self.readiness(response)
            #expect(body["status"] as? String == "unavailable")
            #expect(Self.file(body, "positions")?["state"] as? String == "missing")
            #expect(Self.file(body, "statistics")?["state"] as? String == "loaded")
            // No key needed, and /health stays 200: the process is alive.
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
        }
    }

    @Test("the tier files alone make the server ready")
    func tierFilesOnly() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try root.remove("validation/outputs/output.json")
        try root.remove("runnable/minerstatistics.json")
        try await makeApplication(root).test(.router) { client in
            let response = try await client.execute(uri: "/ready", method: .get)
            #expect(response.status == .ok)
            #expect(try Self.readiness(response)["status"] as? String == "ready")
        }
    }

    @Test("a positions file older than the bound marks readiness degraded, in the body and the metrics")
    func stale() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let hourAgo = Date().addingTimeInterval(-3600)
        try FileManager.default.setAttributes([.modificationDate: hourAgo], ofItemAtPath: root.path("validation/outputs/output.json").path)
        let observability = Observability()
        let store = DataStore()
        var reloader = DataReloader(root: root.url, store: store, logger: quietLogger, status: observability.fileStatus)
        await reloader.checkAll()
        let report = ReadinessReport.evaluate(table: ptnTable, store: store, status: observability.fileStatus, staleAfter: .seconds(600))
        #expect(report.status == .degraded)
        #expect(report.isServing)
        #expect(report.files["positions"]?.state == .stale)
        #expect((report.files["positions"]?.versionAgeSeconds ?? 0) >= 3599)
        #expect(report.files["statistics"]?.state == .loaded)
        observability.metrics.update(from: report, table: ptnTable, store: store)
        let text = observability.metrics.exposition()
        #expect(MetricsTests.value(text, "ptn_serve_degraded") == 1)
        #expect(MetricsTests.value(text, #"ptn_serve_data_file_stale{file="positions"}"#) == 1)
        // A looser bound: fresh again.
        let relaxed = ReadinessReport.evaluate(table: ptnTable, store: store, status: observability.fileStatus, staleAfter: .seconds(7200))
        #expect(relaxed.status == .ready)
    }

    @Test("a version that fails to load shows its reason beside the last good version still served")
    func lastError() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        try await makeApplication(root).test(.router) { client in
            try root.write("validation/eliminations.json", "{\"eliminations\": [")
            let reported = try await eventually {
                let body = try Self.readiness(try await client.execute(uri: "/ready", method: .get))
                return (Self.file(body, "eliminations")?["last_error"] as? String)?.contains("invalid JSON") == true
            }
            #expect(reported)
            let body = try Self.readiness(try await client.execute(uri: "/ready", method: .get))
            #expect(Self.file(body, "eliminations")?["state"] as? String == "loaded")
            #expect(body["status"] as? String == "ready")
        }
    }
}
