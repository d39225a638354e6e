import ArgumentParser
import Foundation
import PTNServe
import PTNServeDemo
import Logging
import ServiceLifecycle

/// `ptn-serve demo`: write a realistic demo data set and serve it, no validator needed.
struct DemoCommand: AsyncParsableCommand {
    /// The `serve` options the demo takes too: where to listen, and security.
    static let options = ["host", "port", "ws-port", "metrics-port", "profile"].compactMap(ServeOption.named)
        + ServeOption.all.filter { $0.section == .security }
    /// The operator console (on the metrics listener) next to the demo's port; a second demo side by side needs its own
    /// `--port` and `--metrics-port` (or `--metrics-port 0` for none).
    static let defaults = ["metrics-port": "48889"]

    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Write a realistic PTN demo data set (real miner entries and hotkeys) and serve it (--profile vanta: Vanta's files too).",
        usage: "ptn-serve demo [--out <out>] [--<option> <value> ...]",
        discussion: """
            Options as for serve (flags only):

            \(ServeOption.help(options, defaults: defaults, environment: false))
            """
    )

    @Option(help: "Folder to write the data set to (kept). Default: a fresh temporary folder.")
    var out: String?

    @Option(help: "Seconds between the simulated validator's new versions of the positions, tier files and statistics; 0 for none.")
    var tick: Double = 15

    /// The `serve` options above, read against their declarations.
    @Argument(parsing: .allUnrecognized, help: .hidden)
    var arguments: [String] = []

    /// The configuration the options make, resolved while parsing, so that a refusal is reported with `demo`'s usage.
    var resolved: ServeConfiguration?
    enum CodingKeys: CodingKey { case out, tick, arguments }

    mutating func validate() throws {
        guard tick >= 0, tick.isFinite else { throw ValidationError("--tick must be a number of seconds, 0 or more") }
        resolved = try usageErrors {
            let flags = try ServeOption.flags(in: arguments, options: Self.options)
            return try ServeConfiguration.resolve(ConfigLayers(flags: flags, defaults: Self.defaults), options: Self.options)
        }
        if let profile = resolved?.profile, !RouteTable.builtInProfiles.contains(profile) {
            throw ValidationError("--profile must be \(RouteTable.builtInProfiles.joined(separator: " or ")), not \"\(profile)\"")
        }
    }

    func run() async throws {
        guard var config = resolved else { throw ValidationError("the options were not read") }
        let root = out.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("ptn-serve-demo-\(UUID().uuidString.prefix(8))")
        config.dataRoot = root.standardizedFileURL
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let dataSet = DemoDataSet(options: .init(generationTimeMs: now, profile: config.profile))
        let keys = try dataSet.write(to: root)
        let banner = DemoBanner(
            root: root, host: config.host, port: config.port, wsPort: config.wsPort, keys: keys, tick: tick,
            metricsHost: config.metricsHost, metricsPort: config.metricsPort
        )
        var alongside: [any Service] = []
        if tick > 0 {
            let validator = try DemoValidator(dataSet: dataSet, root: root, logger: Logger(label: "ptn-serve.demo"))
            alongside.append(PollingService(every: .milliseconds(Int64(tick * 1000)), validator))
        }
        // Once the ports answer, so a line pasted at once works. Written straight to the descriptor: print() is
        // block-buffered when piped (pm2, tee), and the keys must show now.
        let text = banner.text + "\n"
        try await ServeCommand.serve(config, alongside: alongside) { FileHandle.standardOutput.write(Data(text.utf8)) }
    }
}
