import ArgumentParser

/// `ptn-serve`: serves a PTN validator's output files over HTTP.
@main
struct PTNServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ptn-serve",
        abstract: "Serve a Bittensor subnet validator's output files over HTTP, from memory (PTN/Vanta built in, any subnet by route file).",
        subcommands: [ServeCommand.self, DemoCommand.self, KeysCommand.self, UsageCommand.self, ConfigCommand.self, RoutesCommand.self]
    )
}
