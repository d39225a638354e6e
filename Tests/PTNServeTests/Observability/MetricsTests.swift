import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import PTNServe

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("Prometheus metrics")
struct MetricsTests {
    typealias Key = TestDataRoot.Key

    /// The value of the exposition line starting with `series`, if there is one.
    static func value(_ exposition: String, _ series: String) -> Double? {
        exposition.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last!) }
    }

    @Test("requests are counted by route template, method, status and alias; no key, hotkey or path in any label")
    func requestCounters() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let observability = Observability()
        try await makeApplication(root, observability: observability).test(.router) { client in
            _ = try await client.execute(uri: "/miner-hotkeys", method: .get, headers: bearer(Key.tier100))
            _ = try await client.execute(uri: "/miner-hotkeys", method: .get, headers: bearer(Key.tier100))
            _ = try await client.execute(uri: "/miner-positions/\(TestDataRoot.hotkeyA)", method: .get, headers: bearer(Key.tier30))
            _ = try await client.execute(uri: "/miner-positions", method: .get, headers: bearer("not-a-key"))
            _ = try await client.execute(uri: "/validator-checkpoint", method: .get, headers: bearer(Key.tier50))
            _ = try await client.execute(uri: "/no/such/path", method: .get)
            _ = try await client.execute(uri: "/miner-positions/\(TestDataRoot.hotkeyB)", method: .init("QUERY")!)
        }
        let text = observability.metrics.exposition()
        #expect(Self.value(text, #"ptn_serve_http_requests_total{route="/miner-hotkeys",method="GET",status="200",alias="alice"}"#) == 2)
        #expect(Self.value(text, #"ptn_serve_http_requests_total{route="/miner-positions/{hotkey}",method="GET",status="200",alias="carol"}"#) == 1)
        #expect(Self.value(text, #"ptn_serve_http_requests_total{route="/miner-positions",method="GET",status="401",alias="unknown"}"#) == 1)
        #expect(Self.value(text, #"ptn_serve_http_requests_total{route="/validator-checkpoint",method="GET",status="403",alias="bob"}"#) == 1)
        #expect(Self.value(text, #"ptn_serve_http_requests_total{route="NotFound",method="GET",status="404",alias="unknown"}"#) == 1)
        #expect(Self.value(text, #"ptn_serve_http_requests_total{route="/miner-positions/{hotkey}",method="OTHER",status="405",alias="unknown"}"#) == 1)
        #expect(Self.value(text, #"ptn_serve_http_request_duration_seconds_count{route="/miner-hotkeys"}"#) == 2)
        #expect((Self.value(text, #"ptn_serve_http_response_bytes_total{route="/miner-hotkeys"}"#) ?? 0) > 100)
        for secret in [Key.tier100, Key.tier30, "not-a-key", TestDataRoot.hotkeyA, TestDataRoot.hotkeyB, "/no/such/path", root.url.path] {
            #expect(!text.contains(secret))
        }
    }

    @Test("requests refused with 429 are counted under their route template and alias, as every other answer")
    func rateLimited() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let observability = Observability()
        var config = root.configuration()
        config.security.rateLimits.keyRate = RateSpec(count: 1, periodSeconds: 60)
        config.security.rateLimits.addressRate = RateSpec(count: 1, periodSeconds: 60)
        try await buildApplication(config, logger: quietLogger, observability: observability).test(.router) { client in
            for _ in 0..<3 { _ = try await client.execute(uri: "/miner-positions/\(TestDataRoot.hotkeyA)", method: .get, headers: bearer(Key.tier100)) }
            for _ in 0..<2 { _ = try await client.execute(uri: "/eliminations", method: .get) }
        }
        let text = observability.metrics.exposition()
        #expect(Self.value(text, #"ptn_serve_rate_limited_requests_total{route="/miner-positions/{hotkey}",alias="alice"}"#) == 2)
        #expect(Self.value(text, #"ptn_serve_rate_limited_requests_total{route="/eliminations",alias="unknown"}"#) == 1)
        #expect(Self.value(text, #"ptn_serve_http_requests_total{route="/miner-positions/{hotkey}",method="GET",status="429",alias="alice"}"#) == 2)
        #expect(!text.contains(#"route="all""#))
        #expect(!text.contains(#"ptn_serve_rate_limited_requests_total{route="/miner-positions/{hotkey}",alias="unknown"}"#))
    }

    @Test("data file reloads, failed reloads, sizes and ages; readiness gauges")
    func dataFileMetrics() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let observability = Observability()
        let store = DataStore()
        var reloader = DataReloader(root: root.url, store: store, logger: quietLogger, status: observability.fileStatus)
        await reloader.checkAll()
        try root.write("validation/eliminations.json", "{\"eliminations\": [")
        await reloader.checkAll()
        let report = ReadinessReport.evaluate(table: ptnTable, store: store, status: observability.fileStatus, staleAfter: .seconds(600))
        observability.metrics.update(from: report, table: ptnTable, store: store)
        let text = observability.metrics.exposition()
        #expect(Self.value(text, #"ptn_serve_data_file_reloads_total{file="positions"}"#) == 1)
        #expect((Self.value(text, #"ptn_serve_data_file_reload_failures_total{file="eliminations"}"#) ?? 0) >= 1)
        #expect(Self.value(text, #"ptn_serve_data_file_reload_failures_total{file="positions"}"#) == 0)
        let size = store.snapshot("positions")!.body.identityLength
        #expect(Self.value(text, #"ptn_serve_data_file_size_bytes{file="positions"}"#) == Double(size))
        #expect(Self.value(text, #"ptn_serve_data_file_loaded{file="miner-copying"}"#) == 0)
        let age = try #require(Self.value(text, #"ptn_serve_data_file_age_seconds{file="positions"}"#))
        #expect(age >= 0 && age < 600)
        #expect(Self.value(text, "ptn_serve_ready") == 1)
        #expect(Self.value(text, "ptn_serve_degraded") == 0)
    }

    @Test("/metrics answers on its own router, in the Prometheus text format, and is absent from the public port")
    func metricsEndpoint() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        let observability = Observability()
        let store = DataStore()
        var reloader = DataReloader(root: root.url, store: store, logger: quietLogger, status: observability.fileStatus)
        await reloader.checkAll()
        let router = MetricsEndpoint.router(metrics: observability.metrics) {
            (ReadinessReport.evaluate(table: ptnTable, store: store, status: observability.fileStatus, staleAfter: .seconds(600)), ptnTable, store)
        }
        try await Application(router: router).test(.router) { client in
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(response.text.contains("# TYPE ptn_serve_data_file_age_seconds gauge"))
            #expect(Self.value(response.text, #"ptn_serve_data_file_loaded{file="positions"}"#) == 1)
        }
        try await makeApplication(root).test(.router) { client in
            let response = try await client.execute(uri: "/metrics", method: .get, headers: bearer(Key.tier100))
            #expect(response.status == .notFound)
        }
    }

    @Test("the metrics listener runs beside the public one and counts key file reloads")
    func liveListener() async throws {
        let root = try TestDataRoot.make()
        defer { root.delete() }
        var config = root.configuration()
        config.metricsPort = ServerProcess.freePort()
        let observability = Observability()
        let app = try await buildApplication(config, logger: quietLogger, observability: observability)
        let url = URL(string: "http://127.0.0.1:\(config.metricsPort)/metrics")!
        try await app.test(.live) { client in
            _ = try await client.execute(uri: "/eliminations", method: .get, headers: bearer(Key.tier0))
            try root.write("ptn_api/api_keys.json", #"{"alice": "\#(Key.tier100)"}"#)
            let reloaded = await eventually(timeout: .seconds(5)) {
                guard let (data, _) = try? await URLSession.shared.data(from: url) else { return false }
                let text = String(decoding: data, as: UTF8.self)
                return Self.value(text, #"ptn_serve_key_file_reloads_total{result="applied"}"#) == 1
                    && Self.value(text, #"ptn_serve_http_requests_total{route="/eliminations",method="GET",status="200",alias="trial"}"#) == 1
            }
            #expect(reloaded)
        }
    }
}
