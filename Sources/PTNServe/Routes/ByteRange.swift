/// A single-range `Range: bytes=...` request (RFC 9110 §14), resolved against a representation's length.
enum ByteRange: Equatable {
    /// Serve these bytes with 206.
    case satisfiable(Range<Int>)
    /// 416: no byte of the range exists.
    case unsatisfiable
    /// Not a range request we honour (absent, another unit, several ranges, malformed): serve the whole body.
    case ignored

    init(header: String?, length: Int) {
        guard let header, header.hasPrefix("bytes="), !header.contains(",") else {
            self = .ignored
            return
        }
        let spec = header.dropFirst("bytes=".count).trimmingOptionalWhitespace
        let bounds = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard bounds.count == 2 else {
            self = .ignored
            return
        }
        switch (Int(bounds[0]), Int(bounds[1]), bounds[0].isEmpty, bounds[1].isEmpty) {
        case (let first?, nil, false, true):
            self = first < length ? .satisfiable(first..<length) : .unsatisfiable
        case (let first?, let last?, false, false) where first <= last:
            self = first < length ? .satisfiable(first..<min(last + 1, length)) : .unsatisfiable
        case (nil, let suffix?, true, false):
            self = suffix > 0 && length > 0 ? .satisfiable(max(length - suffix, 0)..<length) : .unsatisfiable
        default:
            self = .ignored
        }
    }
}
