/// A file that a route table serves: its name (for logs, `/ready` and metrics) and where it may live.
public struct ServedFile: Hashable, Sendable, CustomStringConvertible {
    /// A name that reveals no file system path: `positions`, `statistics`, or one derived from the path.
    public let name: String
    /// Candidate locations relative to the data directory; when several exist the newest is served.
    public let candidates: [String]
    /// Whether a gzip form of a JSON file is made after it loads (off for very large files sent rarely).
    public let compress: Bool

    public init(name: String, candidates: [String], compress: Bool = true) {
        self.name = name
        self.candidates = candidates
        self.compress = compress
    }

    public var description: String { name }
}
