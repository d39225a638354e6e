/// The shared journal's SQL (PostgreSQL; `?` placeholders, numbered by `PostgresQuery.portable`).
enum JournalSQL {
    /// The advisory lock replicas take turns on while creating the tables.
    static let schemaLock: Int64 = 0x7074_6e5f_7363_6865

    static let schema = [
        """
        CREATE TABLE IF NOT EXISTS journal_meta(id INTEGER PRIMARY KEY, epoch TEXT NOT NULL, last_sequence BIGINT NOT NULL,
            term BIGINT NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS journal_events(sequence BIGINT PRIMARY KEY, timestamp BIGINT NOT NULL, feed TEXT NOT NULL,
            kind TEXT NOT NULL, key TEXT, item_key TEXT, facet TEXT, etag TEXT, size BIGINT, body BYTEA)
        """,
        // Journals written before facets were declared name the column after PTN's one facet.
        """
        DO $$ BEGIN
            IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()
                AND table_name = 'journal_events' AND column_name = 'trade_pair')
            THEN ALTER TABLE journal_events RENAME COLUMN trade_pair TO facet; END IF;
        END $$
        """,
        "CREATE INDEX IF NOT EXISTS journal_events_by_time ON journal_events(timestamp)",
        "CREATE TABLE IF NOT EXISTS journal_baseline_files(feed TEXT PRIMARY KEY, etag TEXT NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS journal_baseline_entries(feed TEXT NOT NULL, key TEXT NOT NULL, digest BYTEA NOT NULL,
            PRIMARY KEY(feed, key))
        """,
    ]

    /// The counter row of a new history: its epoch (16 random hex digits, as SQLite's journal names one), no sequence
    /// given, no writer yet.
    static let createHistory = """
        INSERT INTO journal_meta(id, epoch, last_sequence, term)
            VALUES (1, substr(md5(random()::text || clock_timestamp()::text), 1, 16), 0, 0) ON CONFLICT(id) DO NOTHING
        """
    static let meta = "SELECT epoch, last_sequence FROM journal_meta WHERE id = 1"
    static let head = "SELECT epoch, last_sequence, (SELECT MIN(sequence) FROM journal_events) FROM journal_meta WHERE id = 1"
    static let setHistory = "UPDATE journal_meta SET epoch = ?, last_sequence = ? WHERE id = 1"
    static let bumpTerm = "UPDATE journal_meta SET term = term + 1 WHERE id = 1 RETURNING term"
    static let lockCounter = "SELECT last_sequence, term FROM journal_meta WHERE id = 1 FOR UPDATE"
    static let setLast = "UPDATE journal_meta SET last_sequence = ? WHERE id = 1"
    static let trim = "DELETE FROM journal_events WHERE timestamp < ? OR sequence <= ?"
    static let statistics = """
        SELECT (SELECT MIN(sequence) FROM journal_events), (SELECT COUNT(*) FROM journal_events),
            pg_total_relation_size('journal_events') + pg_total_relation_size('journal_baseline_entries')
        """

    static func insertEvents(_ rows: Int) -> String {
        "INSERT INTO journal_events(sequence, timestamp, feed, kind, key, item_key, facet, etag, size, body) VALUES "
            + Array(repeating: "(?,?,?,?,?,?,?,?,?,?)", count: rows).joined(separator: ",")
    }

    /// An event's columns, in `insertEvents`' order.
    static func values(_ event: ChangeEvent) -> [SQLValue] {
        [
            .integer(event.sequence), .integer(event.timestamp), .text(event.feed), .text(event.kind.rawValue), .text(event.key),
            .text(event.itemKey), .text(event.facet), .text(event.etag), .integer(event.size), event.body.map { .blob($0) } ?? .null,
        ]
    }

    /// Writes the files' new baselines through `run`: etags replaced, removed entries deleted, changed ones upserted.
    static func writeBaselines(_ baselines: [BaselineUpdate], run: (String, [SQLValue]) async throws -> Void) async throws {
        guard !baselines.isEmpty else { return }
        try await run(
            "INSERT INTO journal_baseline_files(feed, etag) VALUES " + rows(baselines.count, width: 2)
                + " ON CONFLICT(feed) DO UPDATE SET etag = excluded.etag",
            baselines.flatMap { [.text($0.feed), .text($0.etag)] }
        )
        for baseline in baselines {
            for chunk in chunks(baseline.removals, size: 500) {
                try await run(
                    "DELETE FROM journal_baseline_entries WHERE feed = ? AND key IN (" + placeholders(chunk.count) + ")",
                    [.text(baseline.feed)] + chunk.map { .text($0) }
                )
            }
            for chunk in chunks(Array(baseline.upserts), size: 500) {
                try await run(
                    "INSERT INTO journal_baseline_entries(feed, key, digest) VALUES " + rows(chunk.count, width: 3)
                        + " ON CONFLICT(feed, key) DO UPDATE SET digest = excluded.digest",
                    chunk.flatMap { [.text(baseline.feed), .text($0.key), .blob($0.value.encoded)] }
                )
            }
        }
    }

    /// The events after `after` and at most `through` that `filter` lets through, in order, `limit` at most.
    static func select(after: Int64, through: Int64, filter: FeedFilter, limit: Int) -> (String, [SQLValue]) {
        var conditions = ["sequence > ?", "sequence <= ?"]
        var values: [SQLValue] = [.integer(after), .integer(through)]
        func restrict(_ column: String, _ allowed: Set<String>) {
            // An empty list lets nothing through (and `IN ()` is no SQL).
            guard !allowed.isEmpty else { return conditions.append("1 = 0") }
            conditions.append("\(column) IN (" + placeholders(allowed.count) + ")")
            values += allowed.sorted().map { .text($0) }
        }
        restrict("feed", filter.feeds)
        if let keys = filter.keys { restrict("key", keys) }
        if let facets = filter.facets { restrict("facet", facets) }
        values.append(.integer(Int64(limit)))
        let sql = "SELECT sequence, timestamp, feed, kind, key, item_key, facet, etag, size, body FROM journal_events WHERE "
            + conditions.joined(separator: " AND ") + " ORDER BY sequence LIMIT ?"
        return (sql, values)
    }

    static func placeholders(_ count: Int) -> String { Array(repeating: "?", count: count).joined(separator: ",") }

    static func rows(_ count: Int, width: Int) -> String {
        Array(repeating: "(" + placeholders(width) + ")", count: count).joined(separator: ",")
    }

    static func chunks<Element>(_ elements: [Element], size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: elements.count, by: size).map { elements[$0 ..< min($0 + size, elements.count)] }
    }
}
