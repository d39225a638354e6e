import Hummingbird
import HummingbirdCore

/// A request's filters on one entry, read from its query by the route's `filters:`, in declaration order and with
/// lists sorted: equal questions are equal values (and share an ETag).
struct EntryQuery: Sendable, Hashable {
    /// Each filter the request gives, with its value.
    let terms: [Term]

    struct Term: Sendable, Hashable {
        let parameter: RouteFilters.Parameter
        let value: Value
    }

    enum Value: Sendable, Hashable {
        /// `equals` and `members`: the listed names, sorted.
        case names([String])
        /// `choice`: the JSON text the word stands for.
        case json(String)
        /// `since`: a time in milliseconds; `latest`: a count.
        case number(Int64)
    }

    /// Most names one list may hold: far more than a real question needs, few enough to answer at once.
    static let maxListed = 1_000
    /// The largest `latest` count.
    static let maxLatest = 100_000

    /// Reads the filters of `query`; nil when it gives none. `others` are the route's other parameters (`tier`,
    /// `checkpoints`); any other name is refused, naming what the route takes.
    init?(_ query: FlatDictionary<Substring, Substring>, filters: RouteFilters, others: [String]) throws(APIError) {
        var seen = Set<Substring>()
        for (name, _) in query {
            guard seen.insert(name).inserted else { throw .invalidQuery("\(name) is given more than once") }
            guard filters.names.contains(String(name)) || others.contains(String(name)) || name == "api_key" else {
                let takes = (filters.names + others).joined(separator: ", ")
                throw .invalidQuery("unknown parameter \"\(name)\": this route takes \(takes)")
            }
        }
        var terms = [Term]()
        for parameter in filters.parameters {
            guard let text = query.get(parameter.name) else { continue }
            terms.append(Term(parameter: parameter, value: try Self.value(String(text), for: parameter)))
        }
        guard !terms.isEmpty else { return nil }
        self.terms = terms
    }

    /// The query as text, for the answer's ETag: one text per distinct question.
    var normalized: String {
        terms.map { term in
            switch term.value {
            case .names(let names): "\(term.parameter.name)=\(names.joined(separator: ","))"
            case .json(let text): "\(term.parameter.name)=\(text)"
            case .number(let number): "\(term.parameter.name)=\(number)"
            }
        }.joined(separator: "&")
    }

    /// A comma-separated list, sorted and without repeats: at least one value, at most `maxListed`.
    static func names(_ text: String, parameter name: String) throws(APIError) -> [String] {
        let names = QueryList.names(text)
        guard !names.isEmpty else { throw .invalidQuery("\(name) must list at least one value, separated by commas") }
        guard names.count <= maxListed else { throw .invalidQuery("\(name) lists more than \(maxListed) values") }
        return names.sorted()
    }

    private static func value(_ text: String, for parameter: RouteFilters.Parameter) throws(APIError) -> Value {
        let name = parameter.name
        switch parameter.kind {
        case .equals, .members:
            return .names(try names(text, parameter: name))
        case .choice(_, let values):
            guard let json = values[text] else {
                throw .invalidQuery("\(name) must be one of \(values.keys.sorted().joined(separator: ", "))")
            }
            return .json(json)
        case .since:
            guard let time = Int64(text), time >= 0 else {
                throw .invalidQuery("\(name) must be a time in milliseconds since 1970 (a whole number of at least 0)")
            }
            return .number(time)
        case .latest:
            guard let count = Int64(text), (1 ... Int64(maxLatest)).contains(count) else {
                throw .invalidQuery("\(name) must be a whole number from 1 to \(maxLatest)")
            }
            return .number(count)
        }
    }
}
