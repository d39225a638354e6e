import Logging
import PostgresNIO
import ServiceLifecycle

/// Runs a replica's part in the shared journal. Control: a connection of its own (not from the pool) tries the writer
/// lock every half second, and the replica that gets it takes over (a new term) and writes until that connection is
/// lost; the connection's session ends after `silence` without a word, so a paused writer loses the lock. Tail: every
/// replica reads the events after the last it has, when a commit wakes it (LISTEN on the same connection) and every
/// second anyway, since wake-ups are lost with a connection.
struct ReplicaCoordinator: Service {
    let database: PostgresDatabase
    let journal: PostgresChangeJournal
    let feed: ChangeFeed
    let state: ReplicaState
    let metrics: ReplicaMetrics
    let logger: Logger

    /// The advisory lock the writer holds ("ptnwrite").
    static let writerLock: Int64 = 0x7074_6e77_7269_7465
    static let heartbeat: Duration = .milliseconds(500)
    /// How long the control connection may take to answer a heartbeat or a lock attempt, and a takeover to complete.
    static let answerDeadline: Duration = .seconds(2)
    static let takeOverDeadline: Duration = .seconds(10)
    static let poll: Duration = .seconds(1)
    /// How long the database keeps a silent control session (PostgreSQL's idle_session_timeout): the bound on how
    /// long a paused writer holds the lock.
    static let silence = "3s"

    init(database: PostgresDatabase, journal: PostgresChangeJournal, feed: ChangeFeed, metrics: ReplicaMetrics = ReplicaMetrics(), logger: Logger) {
        self.database = database
        self.journal = journal
        self.feed = feed
        self.state = ReplicaState(feed: feed, journal: journal)
        self.metrics = metrics
        self.logger = logger
    }

    func run() async {
        let (wakes, waker) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await tail(wakes) }
                group.addTask {
                    while (try? await Task.sleep(for: Self.poll)) != nil { waker.yield() }
                }
                group.addTask { await control(waker) }
            }
        }
        // The control connection is closed by now, so another replica can take the lock at once. The pool stays for
        // the usage flusher's last write.
        stepDown(reason: "shutting down")
    }

    /// Reads what the writer appended, on each wake-up.
    private func tail(_ wakes: AsyncStream<Void>) async {
        for await _ in wakes {
            let head = try? await journal.head()
            // Another history (the database was replaced, or lost events and the writer started anew): taken on before
            // its events are read, which may reuse numbers this replica handed out in the old one.
            if let head, !feed.isWriting { feed.adoptHistory(epoch: head.epoch, after: min(feed.lastSequence, head.start)) }
            await feed.catchUp()
            state.databaseSequence(head?.lastSequence)
            metrics.record(state.status())
        }
    }

    /// Keeps the control connection, reconnecting a second after it is lost.
    private func control(_ waker: AsyncStream<Void>.Continuation) async {
        var id = 0
        while !Task.isCancelled {
            id += 1
            do {
                let connection = try await PostgresConnection.connect(configuration: database.url.connectionConfiguration, id: id, logger: logger)
                do {
                    try await session(on: connection, waker: waker)
                } catch {
                    lost(error)
                }
                try? await connection.close()
            } catch {
                lost(error)
            }
            try? await Task.sleep(for: Self.poll)
        }
    }

    private func session(on connection: PostgresConnection, waker: AsyncStream<Void>.Continuation) async throws {
        try await connection.query("SET idle_session_timeout = '\(unescaped: Self.silence)'", logger: logger)
        try await connection.listen(on: PostgresChangeJournal.channel) { notifications in
            state.connected(true)
            // Whatever was committed while the connection was down is read now, not at the next poll.
            waker.yield()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await _ in notifications { waker.yield() }
                    throw ConnectionLost()
                }
                group.addTask { try await beat(on: connection) }
                try await group.next()
                group.cancelAll()
            }
        }
    }

    /// Every half second: the writer shows it is alive; the others try the lock.
    private func beat(on connection: PostgresConnection) async throws {
        var holding = false
        while true {
            // A connection whose database went away without a word (a partition, a half-closed socket) would keep a
            // query waiting for ever, and this replica would go on calling itself the writer: each step has a deadline,
            // and missing it ends the session as a lost connection does.
            let logger = self.logger
            if holding {
                // Fenced off meanwhile (another writer took over): this session's lock is stale, the session ends.
                guard feed.isWriting else { throw ConnectionLost() }
                try await answered(on: connection) { try await connection.query("SELECT 1", logger: logger) }
            } else {
                let rows = try await answered(on: connection) {
                    try await connection.query("SELECT pg_try_advisory_lock(\(Self.writerLock))", logger: logger).collect()
                }
                if try rows.first?.decode(Bool.self) == true {
                    holding = true
                    try await withDeadline(Self.takeOverDeadline) { try await takeOver() }
                }
            }
            try await Task.sleep(for: Self.heartbeat)
        }
    }

    /// `operation` on the control `connection`, or `DeadlinePassed` once `answerDeadline` has passed; the connection is
    /// then closed, which fails the query still waiting on it.
    private func answered<Value: Sendable>(
        on connection: PostgresConnection, _ operation: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        try await withThrowingTaskGroup(of: Value?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: Self.answerDeadline)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                try? await connection.close()
                throw DeadlinePassed()
            }
            return value
        }
    }

    /// This replica holds the lock: a new term, the journal's baselines, and what others appended before it.
    private func takeOver() async throws {
        try await journal.prepare()
        let term = try await journal.takeOver()
        await feed.catchUp()
        var contents = try await journal.load()
        let handedOut = feed.lastSequence
        if contents.lastSequence < handedOut {
            // The database holds less than this replica handed out: it lost committed events (a crash without a
            // synchronous commit, a restored backup) or was created anew. Numbers are never given twice in one history:
            // a lost part means a new epoch; a new database keeps its own. Either way numbering goes on after every
            // number handed out, so a client resuming without an epoch misses nothing.
            let head = try await journal.head()
            if contents.epoch == feed.epoch || head.oldestSequence == nil {
                let epoch = contents.epoch == feed.epoch ? SQLiteChangeJournal.newEpoch() : contents.epoch
                try await journal.startHistory(epoch: epoch, after: handedOut)
                contents = JournalContents(epoch: epoch, lastSequence: handedOut, baselines: contents.baselines)
                logger.warning("the database held fewer changes than were handed out; a new history starts", metadata: ["epoch": "\(epoch)"])
            }
        }
        feed.takeOver(contents)
        logger.notice("this replica writes the change journal now", metadata: ["term": "\(term)", "sequence": "\(contents.lastSequence)"])
        metrics.record(state.status())
    }

    private func lost(_ error: any Error) {
        guard !Task.isCancelled else { return }
        state.connected(false, problem: "no connection to the database (\(type(of: error)))")
        stepDown(reason: "lost its connection to the database")
        metrics.record(state.status())
    }

    private func stepDown(reason: String) {
        let wasWriting = feed.isWriting
        journal.stepDown()
        feed.stopWriting(reason: reason)
        if wasWriting { logger.warning("this replica no longer writes the change journal", metadata: ["reason": "\(reason)"]) }
    }

    /// The control connection ended.
    struct ConnectionLost: Error {}
}
