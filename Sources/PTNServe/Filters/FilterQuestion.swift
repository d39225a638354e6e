import Hummingbird
import HummingbirdCore
import Synchronization

/// What a request asks of a filtered route: its filters and its `?hotkeys=`-style key list, with the text that names
/// the question for ETags and the answer cache (equal questions in any spelling have equal texts).
struct FilterQuestion: Sendable {
    /// The entry filters; nil when the request gives none.
    let query: EntryQuery?
    /// The keys a whole-file route's `key_filter` names, sorted; nil when not given.
    let requested: [String]?

    /// Reads the question of `parameters` for `route`; nil when it asks for nothing filtered.
    init?(_ parameters: FlatDictionary<Substring, Substring>, route: TableRoute, others: [String]) throws(APIError) {
        query = try route.filters.flatMap { filters throws(APIError) in try EntryQuery(parameters, filters: filters, others: others) }
        requested = try route.keyFilter.flatMap { filter throws(APIError) in
            try parameters.get(filter.parameter).map { text throws(APIError) in try EntryQuery.names(String(text), parameter: filter.parameter) }
        }
        guard query != nil || requested != nil else { return nil }
        text = (query?.normalized ?? "") + "&keys=" + (requested?.joined(separator: ",") ?? "*")
    }

    /// The normalized question.
    let text: String
}

/// Questions already read, by raw query string, per route: a dashboard repeating a request is not parsed again. The
/// reading depends only on the route's declaration and the string, so entries never go stale; the memo is emptied
/// when full.
final class FilterQuestionMemo: Sendable {
    /// Most questions held; raw queries longer than `maxQueryLength` are read each time.
    static let capacity = 4_096
    static let maxQueryLength = 1_024

    private let questions = Mutex([String: FilterQuestion?]())

    /// The question of `raw`, read by `read` the first time.
    func question(_ raw: String, read: () throws(APIError) -> FilterQuestion?) throws(APIError) -> FilterQuestion? {
        guard raw.utf8.count <= Self.maxQueryLength else { return try read() }
        if let known = questions.withLock({ $0[raw] }) { return known }
        let question = try read()
        questions.withLock { questions in
            if questions.count >= Self.capacity { questions.removeAll(keepingCapacity: true) }
            questions[raw] = question
        }
        return question
    }
}
