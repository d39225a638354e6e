import Hummingbird
import HummingbirdCore
import NIOCore

/// Answers one route of the route table from the store's immutable snapshots (for `TableAnswer`, on both lanes): picks
/// the file (by query, by the key's tier, or the route's own), then the part the route selects, and builds the answer
/// from its bytes.
struct TableRouteController: Sendable {
    let route: TableRoute
    let store: DataStore
    /// Filtered answers already made, by version and question.
    let cache: QueryCache
    /// This route's filter questions already read, by query string.
    let questions = FilterQuestionMemo()

    /// The answer to `request` from `client`, whose key is accepted; `captures` are the path's parameters. Synchronous
    /// and free of side effects (beyond filling caches), so a lane may decide before anything is charged.
    func answer(_ request: Request, client: APIClient, captures: Parameters) throws -> PreparedResponse {
        // Parsed once: the file choice, the strip flag and the filters all read it.
        let parameters = request.uri.queryParameters
        let (snapshot, gzip) = try pick(parameters, keyTier: client.tier)
        let strip = route.strip.flatMap { $0.isRequested(by: parameters.get($0.parameter)) ? $0 : nil }
        switch route.select {
        case .whole:
            if let filtered = try filteredWhole(request, parameters, snapshot: snapshot, strip: strip) { return filtered }
            guard let strip else {
                return try JSONResponse.ok(snapshot.body, version: snapshot.version, for: request, policy: gzip, ranges: true)
            }
            let cut = IndexPlan.Cut(source: strip.wholeFileSource, field: strip.field)
            guard case .success(let body) = snapshot.index.wholeCuts[cut] else { throw APIError.notFound(route.messages.notFound) }
            let version = snapshot.version.variant("\(route.path) without \(strip.field)")
            return try JSONResponse.ok(body, version: version, for: request, ranges: true)
        case .keys:
            guard let entries = snapshot.entries(.members) else { throw APIError.notFound(route.messages.notFound) }
            if entries.isEmpty, let empty = route.messages.empty { throw APIError.notFound(empty) }
            return try JSONResponse.ok(JSONBody(identity: entries.keysJSON), version: snapshot.version.variant(route.path), for: request)
        case .member, .element:
            guard let source = route.select.entrySource, let entries = snapshot.entries(source) else {
                throw APIError.notFound(route.messages.notFound)
            }
            let key = try captures.require(route.parameter ?? "")
            if entries.isEmpty, let empty = route.messages.empty { throw APIError.notFound(empty) }
            guard let entry = entries.entry(for: key) else {
                throw APIError.unknownEntry(message(route.messages.unknownKey, key), members: route.messages.unknownKeyMembers)
            }
            let variant = "\(route.path):\(key)" + (strip.map { " without \($0.field)" } ?? "")
            if let query = try question(request, parameters)?.query {
                let version = snapshot.version.variant(variant + "?" + query.normalized)
                let body = try cache.answer("\(snapshot.file.name) \(version.tag)") {
                    EntryBody(slice: try filtered(entry, of: entries, query, strip: strip))
                }
                return try JSONResponse.ok(body, version: version, for: request)
            }
            if route.wrapsInKey, let wrapped = entry.wrapped {
                return try JSONResponse.ok(wrapped, version: snapshot.version.variant(variant + " wrapped"), for: request)
            }
            return try JSONResponse.ok(entry.body(without: strip?.field), version: snapshot.version.variant(variant), for: request)
        }
    }

    /// The snapshot that answers and how its whole-file form is encoded, after the tier checks.
    private func pick(_ parameters: FlatDictionary<Substring, Substring>, keyTier: Int) throws(APIError) -> (FileSnapshot, TableRoute.GzipPolicy) {
        if let byQuery = route.byQuery, let value = parameters.get(byQuery.parameter) {
            guard let choice = byQuery.values.first(where: { $0.value == String(value) }) else { throw .invalidQuery(byQuery.invalid) }
            guard keyTier >= choice.tier else { throw .forbidden(route.messages.forbiddenMessage(tier: choice.tier)) }
            guard let snapshot = loaded(choice.file) else { throw .notFound(route.messages.notFound) }
            return (snapshot, byQuery.gzip)
        }
        if let lowest = route.byKeyTier.last {
            guard keyTier >= lowest.tier else { throw .forbidden(route.messages.forbiddenMessage(tier: lowest.tier)) }
            // Highest tier first: the freshest view the key may see that is loaded.
            for choice in route.byKeyTier where choice.tier <= keyTier {
                if let snapshot = loaded(choice.file) { return (snapshot, route.gzip) }
            }
            throw .notFound(route.messages.notFound)
        }
        guard keyTier >= route.tier else { throw .forbidden(route.messages.forbiddenMessage(tier: route.tier)) }
        guard let source = route.source, let snapshot = loaded(source) else { throw .notFound(route.messages.notFound) }
        return (snapshot, route.gzip)
    }

    /// What the request asks of the route's filters, read once per distinct query string; nil when it asks nothing.
    private func question(_ request: Request, _ parameters: FlatDictionary<Substring, Substring>) throws(APIError) -> FilterQuestion? {
        guard route.filters != nil || route.keyFilter != nil else { return nil }
        return try questions.question(request.uri.query ?? "") { () throws(APIError) in
            try FilterQuestion(parameters, route: route, others: otherParameters)
        }
    }

    /// The route's query parameters besides its filters.
    private var otherParameters: [String] {
        [route.byQuery?.parameter, route.strip?.parameter, route.keyFilter?.parameter].compactMap { $0 }
    }

    /// A whole-file route asked for some entries (`?hotkeys=`) or filtered ones: the file with only those entries,
    /// each narrowed; nil when the request asks for neither. Unknown keys are left out and named in `X-Unknown-Keys`.
    private func filteredWhole(
        _ request: Request, _ parameters: FlatDictionary<Substring, Substring>, snapshot: FileSnapshot, strip: TableRoute.Strip?
    ) throws -> PreparedResponse? {
        guard let question = try question(request, parameters) else { return nil }
        let (query, requested) = (question.query, question.requested)
        let source = route.keyFilter?.source ?? .members
        guard let entries = snapshot.entries(source) else { throw APIError.notFound(route.messages.notFound) }
        let wanted = requested.map(Set.init)
        let keys = wanted.map { wanted in entries.keys.filter { wanted.contains($0) } } ?? entries.keys
        let version = snapshot.version.variant(route.path + "?" + question.text + (strip.map { " without \($0.field)" } ?? ""))
        let body = try cache.answer("\(snapshot.file.name) \(version.tag)") {
            let parts = try keys.map { key in
                let entry = entries.entry(for: key)!
                return try query.map { try filtered(entry, of: entries, $0, strip: strip) } ?? entry.body(without: strip?.field).identityBytes()
            }
            return EntryBody(slice: try WholeFileAnswer.assemble(parts, keys: keys, in: entries, document: snapshot.body))
        }
        var response = try JSONResponse.ok(body, version: version, for: request)
        if let requested {
            let unknown = requested.filter { entries.entry(for: $0) == nil }
            if !unknown.isEmpty { response.headers[.unknownKeys] = WholeFileAnswer.headerList(unknown) }
        }
        return response
    }

    /// An entry narrowed by `query`, from its whole bytes and its parts (the strip's field left out).
    private func filtered(_ entry: KeyedEntries.Entry, of entries: KeyedEntries, _ query: EntryQuery, strip: TableRoute.Strip?) throws -> ByteBuffer {
        let bytes = try entry.full.identityBytes()
        return try EntryFiltering.apply(query, items: route.filters?.items, to: bytes, parts: entries.parts(of: entry), omitting: strip?.field)
            ?? entry.body(without: strip?.field).identityBytes()
    }

    /// The first loaded file of a choice (a file, then its fallback).
    private func loaded(_ choice: TableRoute.FileChoice) -> FileSnapshot? {
        for name in choice.files {
            if let snapshot = store.snapshot(name) { return snapshot }
        }
        return nil
    }

    /// `template` with `{parameter}` replaced by the request's value.
    private func message(_ template: String, _ value: String) -> String {
        guard let parameter = route.parameter else { return template }
        return template.replacingOccurrences(of: "{\(parameter)}", with: value)
    }
}
