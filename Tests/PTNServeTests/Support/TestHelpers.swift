import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
@testable import PTNServe

/// A logger that keeps test output quiet unless something goes wrong.
let quietLogger: Logger = {
    var logger = Logger(label: "ptn-serve-test")
    logger.logLevel = .error
    return logger
}()

/// The test process runs dozens of servers at once, and their loads share NIO's blocking pool, sized for one server
/// (a thread per core): a larger pool keeps one test's load from queueing behind every other server's. Read by NIO at
/// the pool's first use, so it is set before any test data is made (`TestDataRoot.make`).
let blockingPoolSizedForTests: Void = {
    setenv("NIO_SINGLETON_BLOCKING_POOL_THREAD_COUNT", "8", 0)
}()

/// Builds the real application on a test data root, as `serve` would.
func makeApplication(
    _ root: TestDataRoot,
    allowQueryKey: Bool = false,
    observability: Observability = Observability(),
    logger: Logger = quietLogger
) async throws -> some ApplicationProtocol {
    _ = blockingPoolSizedForTests
    return try await buildApplication(root.configuration(allowQueryKey: allowQueryKey), logger: logger, observability: observability)
}

/// `Authorization: Bearer <key>`.
func bearer(_ key: String) -> HTTPFields { [.authorization: "Bearer \(key)"] }

extension TestResponse {
    /// The body as text.
    var text: String { String(buffer: body) }

    /// The `error` string of a JSON error body.
    var errorMessage: String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] else { return nil }
        return object["error"] as? String
    }

    /// The body parsed as JSON, after gzip decoding when the response says so.
    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(buffer: try decodedBody()), options: [.fragmentsAllowed])
    }

    /// The body, gunzipped if `Content-Encoding: gzip`.
    func decodedBody() throws -> ByteBuffer {
        headers[.contentEncoding] == "gzip" ? try Gzip.decompress(body) : body
    }
}

/// Parses JSON text into Foundation objects for semantic comparison.
func parseJSON(_ text: String) throws -> NSObject {
    try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) as! NSObject
}

/// Whether two parsed JSON values are equal.
func sameJSON(_ a: Any, _ b: Any) -> Bool {
    (a as? NSObject)?.isEqual(b) ?? false
}

/// Polls `condition` until it holds or `timeout` passes; for effects of the background watchers.
func eventually(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(25))
    }
    return try await condition()
}

/// Waits until `uri` answers gzip-encoded to a client that accepts gzip: a version is served as soon as it is validated
/// and its whole-file gzip form is made just after, in the background (`SnapshotLoader.compact`).
func gzipFormReady(_ client: some TestClientProtocol, uri: String, key: String) async throws -> Bool {
    var headers = bearer(key)
    headers[.acceptEncoding] = "gzip"
    // Generous: under a parallel test run the compression pass queues behind every other server's loads.
    return try await eventually(timeout: .seconds(20)) {
        try await client.execute(uri: uri, method: .get, headers: headers).headers[.contentEncoding] == "gzip"
    }
}

extension FileSnapshot {
    /// Whether `other` is the same file version: compaction swaps in a new instance of the same version.
    func isSameVersion(as other: FileSnapshot) -> Bool {
        version == other.version && loadedAt == other.loadedAt
    }
}

/// The built-in `ptn` profile's table, which the test data root is laid out for.
let ptnTable: RouteTable = try! RouteTable.builtIn("ptn")

extension DataReloader {
    /// A reloader of the `ptn` table over `root`.
    init(root: URL, store: DataStore, logger: Logger, status: DataFileStatusBoard = DataFileStatusBoard()) {
        self.init(root: root, table: ptnTable, store: store, logger: logger, status: status)
    }
}

extension FileSnapshot {
    /// The top-level members (the positions files' miners).
    var members: KeyedEntries? { entries(.members) }
}
