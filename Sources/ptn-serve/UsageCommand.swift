import ArgumentParser
import Foundation
import PTNServe

/// `ptn-serve usage`: the billing export, per key, route and hour, from the state folder's database or the replicas'
/// shared one (`--database`); works with or without the server running.
struct UsageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "usage",
        abstract: "Export usage per key, route and hour (UTC) from the state folder or --database, as CSV or JSON."
    )
    @Option(name: .customLong("key"), help: "Only this key (its name in the key file).") var alias: String?
    @Option(help: "From this day or time on (2026-01-01 or 2026-01-01T10:00:00Z, UTC).") var since: String?
    @Option(help: "csv or json.") var format: String = "csv"
    @OptionGroup var file: KeysCommand.KeyFileOption

    func run() async throws {
        guard let format = UsageExport.Format(rawValue: format) else { throw ValidationError("--format must be csv or json") }
        var sinceSeconds: Int64?
        if let since {
            guard let date = KeyPlan.parseDate(since) else { throw ValidationError("--since must be a date (2026-01-01) or an ISO 8601 time") }
            sinceSeconds = UsageMeter.hourStart(date)
        }
        let rows = try await StoredUsage.open(try file.usageLocation())?.store.rows(alias: alias, since: sinceSeconds) ?? []
        FileHandle.standardOutput.write(Data(UsageExport.render(rows, format: format).utf8))
    }
}
