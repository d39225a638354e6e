import Foundation

/// The real PTN samples shipped in `Resources` (see ATTRIBUTION.md there).
struct DemoResources: Sendable {
    /// Hotkey of the real miner the two sample entries belong to.
    static let realHotkey = "5GpFBT3CivTBMZek6XMWrFtxNn8sMR5viqt8fM4di3zVNWv3"

    let entryA: JSONValue
    let entryB: JSONValue
    /// Real SS58 hotkeys in file order.
    let departedHotkeys: [String]

    static func load() throws -> DemoResources {
        let departed = try loadJSON("departed-hotkeys")["departed_hotkeys"]?.objectPairs
        guard let departed else { throw DemoDataError.malformedResource("departed-hotkeys") }
        return DemoResources(
            entryA: try loadJSON("miner-entry-a"),
            entryB: try loadJSON("miner-entry-b"),
            departedHotkeys: departed.map(\.0)
        )
    }

    /// The raw bytes of a bundled `<name>.json`.
    static func bytes(_ name: String) throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Resources") else {
            throw DemoDataError.missingResource(name)
        }
        return Array(try Data(contentsOf: url))
    }

    private static func loadJSON(_ name: String) throws -> JSONValue {
        try JSONValue(scanning: try bytes(name))
    }
}
