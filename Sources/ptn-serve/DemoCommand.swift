import ArgumentParser
import Foundation
import PTNServe
import PTNServeDemo

/// `ptn-serve demo`: write a realistic demo data set and serve it, no validator needed.
struct DemoCommand: AsyncParsableCommand {
    /// The `serve` options the demo takes too: where to listen, and security.
    static let options = ["host", "port", "metrics-port"].compactMap(ServeOption.named) + ServeOption.all.filter { $0.section == .security }
    /// Several demos may run side by side (tests, a second terminal): no fixed metrics port to collide on.
    static let defaults = ["metrics-port": "0"]

    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Write a realistic PTN demo data set (real miner entries and hotkeys) and serve it.",
        usage: "ptn-serve demo [--out <out>] [--<option> <value> ...]",
        discussion: """
            Options as for serve (flags only):

            \(ServeOption.help(options, defaults: defaults, environment: false))
            """
    )

    @Option(help: "Folder to write the data set to (kept). Default: a fresh temporary folder.")
    var out: String?

    /// The `serve` options above, read against their declarations.
    @Argument(parsing: .allUnrecognized, help: .hidden)
    var arguments: [String] = []

    /// The configuration the options make, resolved while parsing, so that a refusal is reported with `demo`'s usage.
    var resolved: ServeConfiguration?
    enum CodingKeys: CodingKey { case out, arguments }

    mutating func validate() throws {
        resolved = try usageErrors {
            let flags = try ServeOption.flags(in: arguments, options: Self.options)
            return try ServeConfiguration.resolve(ConfigLayers(flags: flags, defaults: Self.defaults), options: Self.options)
        }
    }

    func run() async throws {
        guard var config = resolved else { throw ValidationError("the options were not read") }
        let root = out.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("ptn-serve-demo-\(UUID().uuidString.prefix(8))")
        config.dataRoot = root.standardizedFileURL
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let keys = try DemoDataSet(options: .init(generationTimeMs: now)).write(to: root)
        // Written straight to the descriptor: print() is block-buffered when piped (pm2, tee), and the keys must show now.
        FileHandle.standardOutput.write(Data((DemoBanner(root: root, host: config.host, port: config.port, keys: keys).text + "\n").utf8))
        try await ServeCommand.serve(config)
    }
}
