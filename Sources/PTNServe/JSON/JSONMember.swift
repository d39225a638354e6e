/// One member of a JSON object: its decoded key and the byte ranges of the key token (with quotes) and value.
package struct JSONMember: Sendable, Equatable {
    /// The key with escapes resolved (lone surrogate escapes become U+FFFD, since `String` cannot hold them).
    package let key: String
    /// The key token including both quotes.
    package let keyRange: Range<Int>
    /// The value token, without surrounding whitespace.
    package let valueRange: Range<Int>

    /// Creates a member from already-located ranges.
    package init(key: String, keyRange: Range<Int>, valueRange: Range<Int>) {
        self.key = key
        self.keyRange = keyRange
        self.valueRange = valueRange
    }
}
