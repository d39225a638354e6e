import Foundation
import Hummingbird

/// `/health` (liveness) and `/ready` (readiness): no key needed, no data and no paths in the answers.
struct HealthController {
    let table: RouteTable
    let store: DataStore
    let status: DataFileStatusBoard
    let staleAfter: Duration
    let feed: ChangeFeed?
    let replica: ReplicaState?

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("health") { _, _ in Self.json(#"{"status":"ok"}"#, status: .ok) }
        router.get("ready") { _, _ async throws in
            let report = ReadinessReport.evaluate(
                table: table, store: store, status: status, staleAfter: staleAfter, feed: await feed?.status(), database: replica?.status()
            )
            // 503 is the readiness answer itself (load balancers read the status), not an error: it keeps the report body.
            return Self.json(try Self.encode(report), status: report.isServing ? .ok : .serviceUnavailable)
        }
    }

    static func encode(_ report: ReadinessReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }

    static func json(_ text: String, status: HTTPResponse.Status) -> Response {
        .noStoreJSON(ByteBuffer(string: text), status: status)
    }
}
