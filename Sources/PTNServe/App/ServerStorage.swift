import Foundation
import Logging

/// Where the server keeps its state: the change feed's journal and the usage rows, in SQLite in the state folder, or
/// in the PostgreSQL database replicas share (`--database`), with the service that decides which replica writes.
struct ServerStorage {
    let feed: ChangeFeed
    let subscriptions: Subscriptions
    /// The replica's part in the shared journal; nil without `--database`.
    let replica: ReplicaCoordinator?

    static func open(
        _ config: ServeConfiguration, table: RouteTable, stateDirectory: URL, observability: Observability, logger: Logger
    ) async throws -> ServerStorage {
        let feedMetrics = FeedMetrics(factory: observability.metrics.factory)
        guard let url = config.database else {
            let feed = try await ChangeFeed.open(
                files: table.followedFiles, directory: stateDirectory, retention: config.feedRetention, logger: logger, metrics: feedMetrics
            )
            let subscriptions = try await Subscriptions.open(stateDirectory: stateDirectory, logger: logger, flushInterval: config.usageFlushInterval)
            return ServerStorage(feed: feed, subscriptions: subscriptions, replica: nil)
        }
        do {
            let database = try await PostgresDatabase.open(url, logger: logger)
            let journal = try await PostgresChangeJournal.open(database)
            let feed = try await ChangeFeed.shared(
                files: table.followedFiles, journal: journal, retention: config.feedRetention, logger: logger, metrics: feedMetrics
            )
            let leases = QuotaLeases(ledger: try await PostgresQuotaLedger.open(database), logger: logger)
            let subscriptions = try await Subscriptions.open(
                store: try await PostgresUsageStore.open(database), flushInterval: config.usageFlushInterval, leases: leases
            )
            let replica = ReplicaCoordinator(
                database: database, journal: journal, feed: feed, metrics: ReplicaMetrics(factory: observability.metrics.factory), logger: logger
            )
            logger.info("shared state in PostgreSQL", metadata: ["database": "\(url)", "epoch": "\(feed.epoch)", "sequence": "\(feed.lastSequence)"])
            return ServerStorage(feed: feed, subscriptions: subscriptions, replica: replica)
        } catch let cancelled as CancellationError {
            throw cancelled
        } catch {
            // The URL is shown without its password; postgres-nio's errors hold no credentials.
            throw StartupError(description: "the database \(url) cannot be used: \(error)")
        }
    }
}
