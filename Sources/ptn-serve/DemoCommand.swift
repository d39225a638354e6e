import ArgumentParser
import Foundation
import PTNServe
import PTNServeDemo

/// `ptn-serve demo`: write a realistic demo data set and serve it, no validator needed.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Write a realistic PTN demo data set (real miner entries and hotkeys) and serve it."
    )

    @Option(help: "Folder to write the data set to (kept). Default: a fresh temporary folder.")
    var out: String?

    @Option(help: "Address to bind.")
    var host = "127.0.0.1"

    @Option(help: "Port to bind.")
    var port = 48888

    @Option(help: "Port of the /metrics listener on 127.0.0.1 (0, the default, for none).")
    var metricsPort = 0

    @OptionGroup(title: "Security (as for serve)")
    var security: SecurityOptions

    func run() async throws {
        let root = out.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("ptn-serve-demo-\(UUID().uuidString.prefix(8))")
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let keys = try DemoDataSet(options: .init(generationTimeMs: now)).write(to: root)
        // Written straight to the descriptor: print() is block-buffered when piped (pm2, tee), and the keys must show now.
        FileHandle.standardOutput.write(Data((DemoBanner(root: root, host: host, port: port, keys: keys).text + "\n").utf8))
        var config = ServeConfiguration(dataDir: root.path, host: host, port: port)
        // Several demos may run side by side (tests, a second terminal): no fixed metrics port to collide on.
        config.metricsPort = metricsPort
        do {
            config.security = try ServeConfiguration.resolve(ConfigLayers(flags: security.givenFlags)).security
        } catch {
            throw ValidationError(error.description)
        }
        try await ServeCommand.serve(config)
    }
}
