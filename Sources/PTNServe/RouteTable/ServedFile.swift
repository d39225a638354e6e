/// A file that a route table serves: its name (for logs, `/ready` and metrics) and where it may live.
package struct ServedFile: Hashable, Sendable, CustomStringConvertible {
    /// A name that reveals no file system path: `positions`, `statistics`, or one derived from the path.
    package let name: String
    /// Candidate locations relative to the data directory; when several exist the newest is served.
    package let candidates: [String]
    /// Whether a gzip form of a JSON file is made after it loads (off for very large files sent rarely).
    package let compress: Bool

    package init(name: String, candidates: [String], compress: Bool = true) {
        self.name = name
        self.candidates = candidates
        self.compress = compress
    }

    package var description: String { name }
}
