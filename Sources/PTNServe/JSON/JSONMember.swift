/// One member of a JSON object: its decoded key and the byte ranges of the key token (with quotes) and value.
public struct JSONMember: Sendable, Equatable {
    /// The key with escapes resolved (lone surrogate escapes become U+FFFD, since `String` cannot hold them).
    public let key: String
    /// The key token including both quotes.
    public let keyRange: Range<Int>
    /// The value token, without surrounding whitespace.
    public let valueRange: Range<Int>

    /// Creates a member from already-located ranges.
    public init(key: String, keyRange: Range<Int>, valueRange: Range<Int>) {
        self.key = key
        self.keyRange = keyRange
        self.valueRange = valueRange
    }
}
