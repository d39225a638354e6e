import Foundation

/// What `ptn-serve demo` prints: where the data is, the URL, the keys and curl lines that work as pasted.
package struct DemoBanner {
    let root: URL
    let host: String
    let port: Int
    /// The WebSocket port (0: none).
    let wsPort: Int
    let keys: [DemoKey]
    /// Seconds between the simulated validator's versions (0: none).
    let tick: Double
    /// The private listener of the operator console and `/metrics` (port 0: none).
    let metricsHost: String
    let metricsPort: Int

    package init(
        root: URL, host: String, port: Int, wsPort: Int = 0, keys: [DemoKey], tick: Double = 0, metricsHost: String = "127.0.0.1",
        metricsPort: Int = 0
    ) {
        self.root = root
        self.host = host
        self.port = port
        self.wsPort = wsPort
        self.keys = keys
        self.tick = tick
        self.metricsHost = metricsHost
        self.metricsPort = metricsPort
    }

    /// The printed text.
    package var text: String {
        let address = host.contains(":") ? "[\(host)]" : host
        let url = "http://\(address):\(port)"
        let full = keys.max { $0.tier < $1.tier }
        let low = keys.min { $0.tier < $1.tier }
        var lines = [
            "ptn-serve demo: a generated PTN data set (real miner entries and hotkeys) in \(root.path)",
            "Serving at \(url)",
            "",
            "Open in a browser:",
            "  data explorer     \(url)/    (paste a key below into its form)",
        ]
        if metricsPort != 0 {
            let consoleAddress = metricsHost.contains(":") ? "[\(metricsHost)]" : metricsHost
            lines.append("  operator console  http://\(consoleAddress):\(metricsPort)/    (private listener: files, keys, traffic, key management)")
        }
        lines += [
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
        if let full {
            lines.append("")
            lines.append(tick > 0
                ? "Follow the changes (a simulated validator writes new versions every \(Self.seconds(tick)) s):"
                : "Follow the changes (none come: the simulated validator is off, --tick 0):")
            lines.append("  curl -sN -H 'Authorization: Bearer \(full.key)' \(url)/events")
            lines.append("  curl -s -H 'Authorization: Bearer \(full.key)' '\(url)/changes?since=0&limit=20'")
            if wsPort != 0 {
                // websockets' interactive client: the two lines after it are typed (pasted) into it.
                lines.append("  python3 -m websockets ws://\(address):\(wsPort)    (pip install websockets), then send:")
                lines.append("    {\"api_key\": \"\(full.key)\", \"last_sequence\": -1}")
                lines.append("    {\"type\": \"subscribe\", \"all\": true}")
            }
        }
        lines.append("")
        lines.append("Stop with Ctrl-C.")
        return lines.joined(separator: "\n")
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
