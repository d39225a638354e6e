import Foundation

/// What `ptn-serve demo` prints: where the data is, the URL, the keys and curl lines that work as pasted.
public struct DemoBanner {
    let root: URL
    let host: String
    let port: Int
    let keys: [DemoKey]

    public init(root: URL, host: String, port: Int, keys: [DemoKey]) {
        self.root = root
        self.host = host
        self.port = port
        self.keys = keys
    }

    /// The printed text.
    public var text: String {
        let url = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        let full = keys.max { $0.tier < $1.tier }
        let low = keys.min { $0.tier < $1.tier }
        var lines = [
            "ptn-serve demo: a generated PTN data set (real miner entries and hotkeys) in \(root.path)",
            "Serving at \(url)",
            "",
            "Demo API keys:",
        ]
        for key in keys.sorted(by: { $0.tier > $1.tier }) {
            lines.append("  tier \(String(key.tier).padding(toLength: 3, withPad: " ", startingAt: 0))  \(key.key)  (\(key.alias))")
        }
        lines.append("")
        lines.append("Try:")
        if let full {
            let auth = "-H 'Authorization: Bearer \(full.key)'"
            lines.append("  curl -s \(auth) \(url)/miner-hotkeys")
            lines.append("  curl -s \(auth) \(url)/miner-positions/5GpFBT3CivTBMZek6XMWrFtxNn8sMR5viqt8fM4di3zVNWv3")
            lines.append("  curl -s \(auth) '\(url)/statistics?checkpoints=false'")
            lines.append("  curl -s \(auth) \(url)/eliminations")
            lines.append("  curl -s --compressed \(auth) \(url)/validator-checkpoint -o validator_checkpoint.json")
            lines.append(
                "  curl -s -X GET \(url)/miner-positions -H \"Content-Type: application/json\" -d '{\"api_key\": \"\(full.key)\"}' -o miner_positions.json"
            )
        }
        if let low {
            lines.append("  curl -s -H 'Authorization: Bearer \(low.key)' '\(url)/miner-positions?tier=\(low.tier)' -o tier\(low.tier).json.gz")
        }
        lines.append("")
        lines.append("Stop with Ctrl-C.")
        return lines.joined(separator: "\n")
    }
}
