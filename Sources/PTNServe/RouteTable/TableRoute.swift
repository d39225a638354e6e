/// One route of a route table: its path, the file it reads, what part of it answers, and who may see it.
package struct TableRoute: Sendable, Hashable {
    /// The path template, e.g. `/miner-positions/{hotkey}`.
    package let path: String
    /// The path's one parameter (`hotkey`), if it has one.
    package let parameter: String?
    /// The file read when neither `byQuery` nor `byKeyTier` picks another.
    package let source: FileChoice?
    /// What part of the file answers.
    package let select: Selection
    /// The lowest key tier allowed (a `byQuery` value may set its own).
    package let tier: Int
    /// How whole-file answers are encoded.
    package let gzip: GzipPolicy
    /// The 404/403 messages.
    package let messages: Messages
    /// A query parameter that picks another file (`?tier=30`).
    package let byQuery: QueryChoice?
    /// Files picked by the key's tier: the highest entry at or below it whose file is loaded.
    package let byKeyTier: [TierChoice]
    /// A query flag that removes a field from every entry (`?checkpoints=false`).
    package let strip: Strip?
    /// OpenAPI text and schemas for this route.
    package let doc: RouteDoc
    /// How the change feed follows the files this route reads.
    package let feed: FeedDeclaration
    /// The query parameters that narrow the entry (`?trade_pair=BTCUSD&fields=...`); on a whole-file route, each entry
    /// `keyFilter` names. Nil when none are declared.
    package let filters: RouteFilters?
    /// A whole-file route's `?hotkeys=a,b`: only those entries of the file; nil when not declared.
    package let keyFilter: KeyFilter?
    /// `wrap: key`: a keyed route answers `{"<key>": entry}`, the entry under its own key (bytes made at load).
    package let wrapsInKey: Bool

    /// `key_filter:`: the parameter listing the entries a whole-file answer keeps, and where the entries are.
    package struct KeyFilter: Sendable, Hashable {
        package let parameter: String
        package let source: EntrySource
    }

    /// A route's `feed:`: followed as the table exposes it (the default), nested items declared, or not followed.
    package enum FeedDeclaration: Sendable, Hashable {
        /// Not declared: keyed routes' files are followed by key, others whole.
        case automatic
        /// `feed: {items: PATH, key: FIELD}` on a keyed route: each entry's items are followed one by one.
        case items(FeedItems)
        /// `feed: whole`: one `new_version` event per version, even for keyed entries.
        case whole
        /// `feed: false`: the route's files give no events.
        case off
    }

    /// One file, or a file and the one served while it is not loaded.
    package struct FileChoice: Sendable, Hashable {
        /// File names, tried in order: the first loaded one is served.
        package let files: [String]
    }

    /// What part of the file a route answers with.
    package enum Selection: Sendable, Hashable {
        /// The whole file.
        case whole
        /// The member of the top-level object named by the path parameter.
        case member
        /// The names of the top-level object's members, in file order, as a JSON array.
        case keys
        /// The entry of a source named by the path parameter: the element of an array whose `key` field equals it, or
        /// the member of a nested object.
        case element(EntrySource)

        /// Where the entries this selection reads come from, if it reads entries.
        package var entrySource: EntrySource? {
            switch self {
            case .whole: nil
            case .member, .keys: .members
            case .element(let source): source
            }
        }
    }

    /// How whole-file answers are encoded.
    package enum GzipPolicy: String, Sendable, Hashable, CaseIterable {
        /// Gzip only for clients that ask for it, so plain curl lines get JSON.
        case whenAccepted = "when_accepted"
        /// Gzip unless the client's Accept-Encoding rules it out (PTN's passthrough of its stored `.gz` files).
        case unlessRefused = "unless_refused"
    }

    /// Messages of the error answers; `{param}` (e.g. `{hotkey}`) is replaced by the request's value.
    package struct Messages: Sendable, Hashable {
        /// 404 when no file is loaded (or it lacks the shape the route needs).
        package let notFound: String
        /// 404 for a key the file does not hold.
        package let unknownKey: String
        /// Members added after `error` to the unknown-key 404 body (an object), as some upstream servers answer.
        package var unknownKeyMembers: JSONTree? = nil
        /// 404 when the file holds no entries at all; nil answers as for an unknown key (or, for `keys`, an empty list).
        package let empty: String?
        /// 403 for a key below the route's tier; nil uses the generic message naming the tier.
        package let forbidden: String?

        /// The 403 message for a required tier.
        package func forbiddenMessage(tier: Int) -> String {
            forbidden ?? "Your API key does not have access to tier \(tier) data"
        }
    }

    /// A query parameter whose value picks the file and the tier it needs; other values are refused with 400.
    package struct QueryChoice: Sendable, Hashable {
        package let parameter: String
        /// The 400 message for a value not listed.
        package let invalid: String
        /// How these files' whole-file answers are encoded.
        package let gzip: GzipPolicy
        package let values: [Value]

        /// One accepted value.
        package struct Value: Sendable, Hashable {
            package let value: String
            package let file: FileChoice
            package let tier: Int
        }
    }

    /// A file served to keys of at least `tier`.
    package struct TierChoice: Sendable, Hashable {
        package let tier: Int
        package let file: FileChoice
    }

    /// A query flag (`checkpoints=false`, compared without case) that removes `field` from every entry.
    package struct Strip: Sendable, Hashable {
        package let parameter: String
        package let value: String
        package let field: String
        /// Whole-file routes: the entries are the elements of this array (dotted path); nil for the top-level members.
        package let array: String?

        /// Whether the request's value of the parameter asks for the field to go.
        package func isRequested(by value: String?) -> Bool {
            value?.lowercased() == self.value.lowercased()
        }

        /// The entries a whole-file answer cuts the field from.
        package var wholeFileSource: EntrySource {
            array.map { .array(path: $0, key: nil) } ?? .members
        }
    }

    /// Every file this route may read.
    package var fileNames: [String] {
        var names = source?.files ?? []
        names += byQuery?.values.flatMap(\.file.files) ?? []
        names += byKeyTier.flatMap(\.file.files)
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    /// The route's segments as the router and the 405 matcher see them, with `{name}` for the parameter.
    package var routerPath: String { String(path.dropFirst()) }
}
