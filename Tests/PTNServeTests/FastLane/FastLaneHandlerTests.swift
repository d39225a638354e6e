import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Testing
@testable import PTNServe

/// The handler alone on an `EmbeddedChannel`: what it answers, what it hands on, and the order answers leave in.
@Suite("Fast lane handler: answers in request order, hands the rest on untouched")
struct FastLaneHandlerTests {
    /// A lane over the PTN routes with no file loaded and no key: every table read it takes is a 401.
    static func channel() throws -> EmbeddedChannel {
        let table = try RouteTable.builtIn("ptn")
        let controllers = table.routes.map { TableRouteController(route: $0, store: DataStore(), cache: QueryCache(capacity: 0)) }
        let answer = TableAnswer(
            keys: AtomicSnapshot(APIKeySet([])), extractor: APIKeyExtractor(allowQueryKey: false), addressLimiter: RateLimiter(),
            keyLimiter: RateLimiter(), limits: SecurityConfiguration().rateLimits, meter: UsageMeter(), leases: nil, clock: { Date() }
        )
        let lane = FastLane(
            routes: FastLaneRoutes(controllers: controllers, otherPaths: ["health"]), answer: answer,
            log: RequestLogMiddleware(metrics: nil, usage: nil), logger: quietLogger, serverName: "ptn-serve"
        )
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(FastLaneHandler(lane: lane))
        return channel
    }

    static func request(_ path: String, method: HTTPRequest.Method = .get, _ fields: HTTPFields = [:]) -> [HTTPRequestPart] {
        [.head(HTTPRequest(method: method, scheme: "http", authority: "x", path: path, headerFields: fields)), .end(nil)]
    }

    /// The statuses of the answers written so far, and whether each had a body part.
    static func written(_ channel: EmbeddedChannel) throws -> [(status: Int, body: Bool)] {
        var answers = [(status: Int, body: Bool)]()
        while let part = try channel.readOutbound(as: HTTPResponsePart.self) {
            switch part {
            case .head(let head): answers.append((head.status.code, false))
            case .body: answers[answers.count - 1].body = true
            case .end: break
            }
        }
        return answers
    }

    @Test("a table read is answered at once, with a body for GET and none for HEAD; nothing reaches Hummingbird")
    func answers() throws {
        let channel = try Self.channel()
        for part in Self.request("/miner-hotkeys") + Self.request("/miner-hotkeys", method: .head) { try channel.writeInbound(part) }
        let answers = try Self.written(channel)
        #expect(answers.map(\.status) == [401, 401] && answers.map(\.body) == [true, false])
        #expect(try channel.readInbound(as: HTTPRequestPart.self) == nil)
    }

    @Test("requests it does not take go on whole; later reads wait behind them until their answer's end passes")
    func order() throws {
        let channel = try Self.channel()
        let handedOn = Self.request("/health") + Self.request("/miner-hotkeys", [.contentLength: "0"])
        for part in handedOn + Self.request("/miner-hotkeys") { try channel.writeInbound(part) }
        // All three reached Hummingbird: the third arrived while the first two were unanswered.
        var heads = 0
        while let part = try channel.readInbound(as: HTTPRequestPart.self) { if case .head = part { heads += 1 } }
        #expect(heads == 3)
        #expect(try Self.written(channel).isEmpty)
        // Hummingbird answers all three; the next read is the lane's again.
        for _ in 0..<3 {
            try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok)))
            try channel.writeOutbound(HTTPResponsePart.end(nil))
        }
        #expect(try Self.written(channel).map(\.status) == [200, 200, 200])
        for part in Self.request("/miner-hotkeys") { try channel.writeInbound(part) }
        #expect(try Self.written(channel).map(\.status) == [401])
        #expect(try channel.readInbound(as: HTTPRequestPart.self) == nil)
    }

    @Test("Connection, Upgrade, bodies and other methods go to Hummingbird", arguments: [
        HTTPFields([HTTPField(name: .connection, value: "close")]), HTTPFields([HTTPField(name: .upgrade, value: "websocket")]),
        HTTPFields([HTTPField(name: .transferEncoding, value: "chunked")]), HTTPFields([HTTPField(name: .expect, value: "100-continue")]),
    ])
    func handedOn(_ fields: HTTPFields) throws {
        let channel = try Self.channel()
        for part in Self.request("/miner-hotkeys", fields) + Self.request("/miner-hotkeys", method: .post) { try channel.writeInbound(part) }
        #expect(try Self.written(channel).isEmpty)
    }
}
