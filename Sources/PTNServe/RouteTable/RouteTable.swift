/// The declarative description of what a server serves: files, routes, readiness. Compiled into the router at start.
package struct RouteTable: Sendable {
    /// A name for logs, `/ready` and the OpenAPI title.
    package let profile: String
    /// The OpenAPI document's description of the API.
    package let description: String?
    /// Default key file candidates, relative to the data directory: the first that exists is used.
    package let apiKeyFiles: [String]
    /// Every file a route reads, in declaration order.
    package let files: [ServedFile]
    /// The routes, in declaration order.
    package let routes: [TableRoute]
    /// Readiness: the server is ready when every file of at least one of these sets is loaded.
    package let readiness: [[String]]
    /// The routes behind the explorer's leaderboard and miner pages; nil: no such pages.
    package let explorer: ExplorerViews?

    /// The file called `name`.
    package func file(named name: String) -> ServedFile? {
        files.first { $0.name == name }
    }

    /// The query parameter the streams (`/events`, `/changes`) take a list of entry keys by: the one the table's key
    /// filters declare (PTN: `hotkeys`), else `keys`.
    package var streamKeyParameter: String {
        routes.lazy.compactMap(\.keyFilter?.parameter).first ?? "keys"
    }

    /// The facet the followed files' items declare (PTN: `trade_pair`): the one the explorer and the OpenAPI document
    /// name; nil when none does.
    package var streamFacet: FeedFacet? {
        followedFiles.lazy.compactMap(\.items?.facet).first
    }

    /// Files readiness depends on: a stale one degrades it.
    package var requiredFiles: Set<String> {
        Set(readiness.joined())
    }

    /// What a file must be indexed by for the routes that read it.
    package func indexPlan(for file: String) -> IndexPlan {
        var plan = IndexPlan()
        for route in routes where route.fileNames.contains(file) {
            if let source = route.select.entrySource {
                plan.entries[source, default: []].formUnion(route.strip.map { [$0.field] } ?? [])
                plan.users[source, default: []].append(route.path)
                if route.wrapsInKey { plan.wrapped.insert(source) }
            } else if let keyFilter = route.keyFilter {
                // A whole-file route answering some entries: they are indexed, with the field its strip cuts.
                plan.entries[keyFilter.source, default: []].formUnion(route.strip.map { [$0.field] } ?? [])
                plan.users[keyFilter.source, default: []].append(route.path)
            }
            if let filters = route.filters, let source = route.select.entrySource ?? route.keyFilter?.source {
                plan.parts[source, default: .init()].add(filters)
            }
            if route.select.entrySource == nil, let strip = route.strip {
                let cut = IndexPlan.Cut(source: strip.wholeFileSource, field: strip.field)
                plan.wholeCuts.insert(cut)
                plan.users[cut.source, default: []].append(route.path)
            }
        }
        return plan
    }
}

/// The indexes one file needs: keyed entries (with fields some routes cut), and whole-file copies with a field cut.
package struct IndexPlan: Sendable, Hashable {
    /// Entry sources, each with the fields whose removal some route offers per entry.
    package var entries: [EntrySource: Set<String>] = [:]
    /// Whole-document variants without a field in each entry of a source.
    package var wholeCuts: Set<Cut> = []
    /// Sources whose entries some route answers under their own key (`wrap: key`): that form is made at load.
    package var wrapped: Set<EntrySource> = []
    /// Sources whose routes filter their entries, with what the filters compare (each entry's parts are kept).
    var parts: [EntrySource: PartsPlan] = [:]
    /// The routes that read each source, for warnings that name them.
    package var users: [EntrySource: [String]] = [:]

    /// A field removed from every entry of a source.
    package struct Cut: Sendable, Hashable {
        package let source: EntrySource
        package let field: String
    }

    /// Nothing beyond validation.
    package var isEmpty: Bool { entries.isEmpty && wholeCuts.isEmpty }
}
