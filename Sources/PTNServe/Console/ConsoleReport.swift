import Foundation

/// The console's figures, as `/console/state` answers them: files, keys, traffic and the change stream. Names from
/// the route table and aliases from the key file; no key, no digest, no absolute path.
struct ConsoleReport: Sendable, Encodable {
    /// One served file.
    struct FileRow: Sendable, Encodable {
        let name: String
        /// The route table's relative path(s) for it.
        let paths: [String]
        /// `loaded`, `stale`, `missing`, or `failing` (the last load attempt failed).
        let state: DataFileState
        let required: Bool
        let versionAgeSeconds: Double?
        let sizeBytes: Int?
        let lastReloadMilliseconds: Int64?
        let lastError: String?
        let loads: Int
        let failures: Int

        enum CodingKeys: String, CodingKey {
            case name, paths, state, required, loads, failures
            case versionAgeSeconds = "version_age_seconds", sizeBytes = "size_bytes"
            case lastReloadMilliseconds = "last_reload_ms", lastError = "last_error"
        }
    }

    /// One key holder, with its usage (zero when unused).
    struct KeyRow: Sendable, Encodable {
        let alias: String
        let tier: Int?
        /// Its own rate, or nil for the server's default.
        let rate: String?
        /// False for an alias seen in the traffic but no longer in the key file (revoked), or `unknown`.
        let active: Bool
        let usage: TrafficReport.KeyCount?
        /// Its plan, when it has one: the quota with what is used and left of the current period (the meter's count, which
        /// the usage rows are written from), the expiry and the route scope.
        var quota: QuotaStatement? = nil
        var expires: String? = nil
        var routes: [String]? = nil
    }

    /// The change stream.
    struct StreamRow: Sendable, Encodable {
        let subscribers: [String: Int]
        let status: FeedStatus
    }

    let profile: String
    let status: String
    let generatedMilliseconds: Int64
    let files: [FileRow]
    let keys: [KeyRow]
    let traffic: TrafficReport
    let stream: StreamRow?

    enum CodingKeys: String, CodingKey {
        case profile, status, files, keys, traffic, stream
        case generatedMilliseconds = "generated_ms"
    }

    static func make(_ sources: ConsoleSources, now: Date = Date()) async -> ConsoleReport {
        let feedStatus = await sources.feed?.status()
        let readiness = ReadinessReport.evaluate(
            table: sources.table, store: sources.store, status: sources.fileStatus, staleAfter: sources.staleAfter, now: now
        )
        let files = sources.table.files.map { file in
            let state = readiness.files[file.name]
            let history = sources.fileStatus.entry(file.name)
            let snapshot = sources.store.snapshot(file.name)
            return FileRow(
                name: file.name,
                paths: file.candidates,
                state: history.lastError != nil ? .failing : state?.state ?? .missing,
                required: state?.required ?? false,
                versionAgeSeconds: state?.versionAgeSeconds,
                sizeBytes: snapshot?.body.identityLength,
                lastReloadMilliseconds: snapshot.map { Int64($0.loadedAt.timeIntervalSince1970 * 1000) },
                lastError: history.lastError,
                loads: history.loads,
                failures: history.failures
            )
        }
        let traffic = sources.traffic.report(seconds: now.timeIntervalSince1970)
        let holders = sources.keys.value.holders
        var keys = holders.map { holder in
            KeyRow(
                alias: holder.alias, tier: holder.tier, rate: holder.rate?.description, active: true, usage: traffic.keys[holder.alias],
                quota: sources.meter.flatMap { PlanCheck.standing(of: holder, meter: $0, now: now) }.map(QuotaStatement.init),
                expires: holder.plan.expires.map(KeyPlan.timeText), routes: holder.plan.routes?.patterns
            )
        }
        let known = Set(holders.map(\.alias))
        for (alias, usage) in traffic.keys.sorted(by: { $0.key < $1.key }) where !known.contains(alias) && usage.requestsDay > 0 {
            keys.append(KeyRow(alias: alias, tier: nil, rate: nil, active: false, usage: usage))
        }
        return ConsoleReport(
            profile: sources.table.profile,
            status: readiness.status.rawValue,
            generatedMilliseconds: Int64(now.timeIntervalSince1970 * 1000),
            files: files,
            keys: keys,
            traffic: traffic,
            stream: feedStatus.map { StreamRow(subscribers: sources.feed?.followerCounts() ?? [:], status: $0) }
        )
    }
}
