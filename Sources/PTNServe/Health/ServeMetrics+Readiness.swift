import Metrics

extension ServeMetrics {
    /// Sets the per-file and readiness gauges from a fresh report; called on every scrape so ages are current.
    func update(from report: ReadinessReport, table: RouteTable, store: DataStore) {
        for file in table.files {
            let name = file.name
            let labels = [("file", name)]
            let state = report.files[name]
            let snapshot = store.snapshot(name)
            gauge("ptn_serve_data_file_loaded", labels).record(snapshot == nil ? 0 : 1)
            gauge("ptn_serve_data_file_stale", labels).record(state?.state == .stale ? 1 : 0)
            gauge("ptn_serve_data_file_age_seconds", labels).record(state?.versionAgeSeconds ?? 0)
            gauge("ptn_serve_data_file_size_bytes", labels).record(Int64(snapshot?.body.identityLength ?? 0))
        }
        gauge("ptn_serve_ready", []).record(report.isServing ? 1 : 0)
        gauge("ptn_serve_degraded", []).record(report.status == .degraded ? 1 : 0)
    }
}
