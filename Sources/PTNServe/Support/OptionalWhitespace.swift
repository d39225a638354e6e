extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (HTTP's "optional whitespace", RFC 9110 §5.6.3).
    ///
    /// Header values are trimmed on every request; Foundation's `trimmingCharacters(in:)` bridges through NSString and
    /// showed up in profiles of the request path.
    var trimmingOptionalWhitespace: Substring {
        let text = Substring(self)
        let bytes = text.utf8
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = bytes.firstIndex(where: { !isBlank($0) }), let last = bytes.lastIndex(where: { !isBlank($0) }) else {
            return text[text.endIndex...]
        }
        // Both ends sit next to ASCII blanks or the text's ends, so they are character boundaries.
        return text[first..<bytes.index(after: last)]
    }
}
