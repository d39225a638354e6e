/// What a request's `Accept-Encoding` says about gzip.
enum AcceptEncoding: Equatable {
    /// No header: the client never said (curl without `--compressed`, the seed's snippets).
    case unspecified
    case acceptsGzip
    case refusesGzip

    /// Reads the header values (RFC 9110 §12.5.3; a q of 0 refuses, `*` covers gzip unless gzip is listed).
    init(_ values: [String]) {
        guard !values.isEmpty else {
            self = .unspecified
            return
        }
        var gzip: Bool?
        var wildcard: Bool?
        for item in values.joined(separator: ",").split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingOptionalWhitespace.lowercased() }
            guard let coding = parts.first, !coding.isEmpty else { continue }
            let accepted = !parts.dropFirst().contains { Self.isZeroQuality($0) }
            switch coding {
            case "gzip", "x-gzip": gzip = accepted
            case "*": wildcard = accepted
            default: break
            }
        }
        self = (gzip ?? wildcard ?? false) ? .acceptsGzip : .refusesGzip
    }

    private static func isZeroQuality(_ parameter: String) -> Bool {
        let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingOptionalWhitespace }
        guard pair.count == 2, pair[0] == "q", let q = Double(pair[1]) else { return false }
        return q <= 0
    }
}
