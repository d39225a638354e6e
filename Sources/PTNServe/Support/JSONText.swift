/// Writes the few small JSON documents ptn-serve renders itself (hotkey lists, error bodies).
enum JSONText {
    /// A JSON string literal for `value`, quotes included.
    static func quoted(_ value: String) -> String {
        var out = "\""
        out.reserveCapacity(value.utf8.count + 2)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// `["a", "b"]` as UTF-8 bytes.
    static func array(ofStrings values: [String]) -> [UInt8] {
        Array(("[" + values.map(quoted).joined(separator: ", ") + "]").utf8)
    }

    /// `{"error": "<message>"}`, the body of every error response.
    static func errorObject(_ message: String) -> String {
        "{\"error\": \(quoted(message))}"
    }
}
