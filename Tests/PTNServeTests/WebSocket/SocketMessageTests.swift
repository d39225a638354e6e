import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

@testable import PTNServe

@Suite("PTN WebSocket frames: reading the client's, writing the server's")
struct SocketMessageTests {
    /// How PTN's positions are followed (`ptn.yaml`): by `position_uuid`, tagged with their `trade_pair`.
    let ptnPositions = FeedItems(path: "positions", key: "position_uuid", facet: FeedFacet(name: "trade_pair"))

    @Test("the auth frame: key, last_sequence (-1 when absent or not a whole number), epoch")
    func authFrames() {
        #expect(SocketRequest(text: #"{"api_key": "k", "last_sequence": 41}"#) == .auth(apiKey: "k", lastSequence: 41, epoch: nil))
        #expect(SocketRequest(text: #"{"api_key": "k"}"#) == .auth(apiKey: "k", lastSequence: -1, epoch: nil))
        #expect(SocketRequest(text: #"{"api_key": "k", "last_sequence": true}"#) == .auth(apiKey: "k", lastSequence: -1, epoch: nil))
        #expect(SocketRequest(text: #"{"api_key": "k", "last_sequence": 1.5}"#) == .auth(apiKey: "k", lastSequence: -1, epoch: nil))
        #expect(SocketRequest(text: #"{"api_key": 7, "last_sequence": 3, "epoch": "e1"}"#) == .auth(apiKey: nil, lastSequence: 3, epoch: "e1"))
        #expect(SocketRequest(text: "not json") == nil)
        #expect(SocketRequest(text: "[1, 2]") == nil)
    }

    @Test("the upgrade request's Authorization: a bearer key authenticates; none waits for the auth frame; anything else is refused")
    func upgradeCredentials() {
        #expect(SocketCredential(authorization: ["Bearer k1"]) == .header("k1"))
        #expect(SocketCredential(authorization: ["bearer   k1 "]) == .header("k1"))
        #expect(SocketCredential(authorization: []) == .authFrame)
        #expect(SocketCredential(authorization: ["k1"]) == .malformedHeader)
        #expect(SocketCredential(authorization: ["Basic a2V5Og=="]) == .malformedHeader)
        #expect(SocketCredential(authorization: ["Bearer "]) == .malformedHeader)
        // The 2026 reply carries Vanta's members for a header client only.
        let start = FollowStart(epoch: "e", requested: nil, firstSequence: 1, lastSequence: 9, replayAvailable: true)
        #expect(SocketReply.authenticated(tier: 100, start: start, onUpgrade: true).hasSuffix(#","subscribed_subaccounts":[],"hl_mappings":{}}"#))
        #expect(!SocketReply.authenticated(tier: 100, start: start).contains("hl_mappings"))
    }

    @Test("control messages: subscribe with its lists, unsubscribe, ping, unknown and bad lists")
    func controlMessages() {
        #expect(SocketRequest(text: #"{"type": "subscribe", "all": true, "sender_timestamp": 5}"#)
            == .subscribe(all: true, hotkeys: nil, tradePairs: nil, senderTimestamp: SocketEcho(5)))
        #expect(SocketRequest(text: #"{"type": "subscribe", "hotkeys": ["a", "b"], "trade_pairs": ["BTCUSD"]}"#)
            == .subscribe(all: false, hotkeys: ["a", "b"], tradePairs: ["BTCUSD"], senderTimestamp: SocketEcho(nil)))
        // The REST filters' spelling works too.
        #expect(SocketRequest(text: #"{"type": "subscribe", "trade_pair": ["ETHUSD"]}"#)
            == .subscribe(all: false, hotkeys: nil, tradePairs: ["ETHUSD"], senderTimestamp: SocketEcho(nil)))
        #expect(SocketRequest(text: #"{"type": "subscribe", "hotkeys": "a"}"#) == .invalid("hotkeys must be a list of strings"))
        #expect(SocketRequest(text: #"{"type": "subscribe", "trade_pairs": [1]}"#) == .invalid("trade_pairs must be a list of strings"))
        #expect(SocketRequest(text: #"{"type": "unsubscribe", "all": true}"#) == .unsubscribe)
        #expect(SocketRequest(text: #"{"type": "ping", "timestamp": 1700000000000}"#) == .ping(timestamp: SocketEcho(1_700_000_000_000)))
        #expect(SocketRequest(text: #"{"type": "dance"}"#) == .unknown)
        #expect(SocketRequest(text: #"{"type": 3}"#) == .unknown)
    }

    @Test("replies carry PTN's fields and words; ptn-serve's additions are extra fields")
    func replies() throws {
        let start = FollowStart(epoch: "ep", requested: 10, firstSequence: 4, lastSequence: 12, replayAvailable: true)
        let success = try object(SocketReply.authenticated(tier: 100, start: start))
        #expect(success["status"] as? String == "success" && success["message"] as? String == "Authentication successful.")
        #expect(success["current_sequence"] as? Int == 12 && success["tier"] as? Int == 100)
        #expect(success["epoch"] as? String == "ep" && success["first_sequence"] as? Int == 4 && success["replay_available"] as? Bool == true)
        let live = FollowStart(epoch: "ep", requested: nil, firstSequence: 4, lastSequence: 12, replayAvailable: true)
        #expect(try object(SocketReply.authenticated(tier: 100, start: live))["replay_available"] == nil)
        #expect(try object(SocketReply.insufficientTier(100))["code"] as? String == "INSUFFICIENT_TIER")
        #expect(try object(SocketReply.tooManyConnections)["code"] as? String == "MAX_CONNECTIONS_EXCEEDED")
        let pong = try object(SocketReply.pong(SocketEcho("t-1")))
        #expect(pong["type"] as? String == "pong" && pong["client_timestamp"] as? String == "t-1" && pong["server_timestamp"] as? Int != nil)
        let slow = try object(SocketReply.tooSlow(resumeAfter: 99))
        #expect(slow["code"] as? String == "TOO_SLOW" && slow["resume_after"] as? Int == 99)
    }

    @Test("a broadcast frame embeds the position's bytes as they are in the file; removals and entry changes in PTN's frame shape")
    func broadcast() throws {
        let position = #"{"position_uuid":"p-1","orders":[{"order_type":"LONG"}],"close_ms":null}"#
        let event = ChangeEvent(sequence: 7, timestamp: 1_700_000_000_000, feed: "positions", kind: .itemChanged, key: "hk", itemKey: "p-1",
                                body: ByteBuffer(string: position))
        let frame = try #require(SocketBroadcast.frame(event, items: ptnPositions))
        #expect(String(buffer: frame) == #"{"sequence":7,"timestamp":1700000000000,"data":{"position":"# + position + "}}")
        let removal = ChangeEvent(sequence: 8, timestamp: 5, feed: "positions", kind: .itemRemoved, key: "hk", itemKey: "p-1", facet: "BTCUSD")
        #expect(String(buffer: try #require(SocketBroadcast.frame(removal, items: ptnPositions)))
            == #"{"sequence":8,"timestamp":5,"data":{"position":{"position_uuid":"p-1","miner_hotkey":"hk","trade_pair":["BTCUSD"]},"removed":true}}"#)
        let entry = ChangeEvent(sequence: 9, timestamp: 5, feed: "positions", kind: .entryChanged, key: "hk",
                                body: ByteBuffer(string: #"{"changed":["all_time_returns"],"members":{"all_time_returns":1.5}}"#))
        let entryFrame = try object(String(buffer: try #require(SocketBroadcast.frame(entry, items: ptnPositions))))
        let data = try #require(entryFrame["data"] as? [String: Any])
        #expect(entryFrame["sequence"] as? Int == 9 && data["position"] == nil)
        let changed = try #require(data["entry"] as? [String: Any])
        #expect(changed["miner_hotkey"] as? String == "hk" && changed["changed"] as? [String] == ["all_time_returns"])
        #expect((changed["members"] as? [String: Any])?["all_time_returns"] as? Double == 1.5)
        #expect(SocketBroadcast.frame(ChangeEvent(sequence: 10, timestamp: 0, feed: "f", kind: .newVersion), items: nil) == nil)
    }

    @Test("a subscribe frame may ask for entry changes; the reply says so")
    func entryChangesOption() throws {
        #expect(SocketRequest(text: #"{"type": "subscribe", "all": true, "entry_changes": true}"#)
            == .subscribe(all: true, hotkeys: nil, tradePairs: nil, senderTimestamp: SocketEcho(nil), entryChanges: true))
        let reply = try object(SocketReply.subscription(action: "subscribe", all: true, hotkeys: nil, tradePairs: nil, senderTimestamp: nil, entryChanges: true))
        #expect(reply["entry_changes"] as? Bool == true)
        #expect(try object(SocketReply.subscription(action: "subscribe", all: true, hotkeys: nil, tradePairs: nil, senderTimestamp: nil))["entry_changes"] == nil)
    }

    @Test("a key holds five connections; a sixth evicts the oldest, and only it")
    func connectionsPerKey() {
        let connections = SocketConnections()
        let evicted = EvictionLog()
        let ids = (0..<6).compactMap { index in connections.add(alias: "alice", evict: { evicted.append(index) }, goAway: {}) }
        #expect(evicted.values == [0])
        #expect(connections.count(alias: "alice") == 5)
        _ = connections.add(alias: "bob", evict: { evicted.append(100) }, goAway: {})
        #expect(evicted.values == [0] && connections.count(alias: "bob") == 1)
        connections.remove(alias: "alice", id: ids[3])
        _ = connections.add(alias: "alice", evict: { evicted.append(6) }, goAway: {})
        #expect(evicted.values == [0])
        _ = connections.add(alias: "alice", evict: { evicted.append(7) }, goAway: {})
        #expect(evicted.values == [0, 1])
    }

    @Test("closing all tells every connection to go away and returns once they have ended; later ones are refused")
    func closeAll() async {
        let connections = SocketConnections()
        let told = EvictionLog()
        for (index, alias) in ["alice", "alice", "bob"].enumerated() {
            // Ids are handed out in order from 0: each connection ends (removes itself) when told to go away.
            let id = connections.add(alias: alias, evict: {}, goAway: { told.append(index); connections.remove(alias: alias, id: UInt64(index)) })
            #expect(id == UInt64(index))
        }
        #expect(!connections.isClosing)
        await connections.closeAll(within: .seconds(60))
        #expect(connections.isClosing)
        #expect(told.values.sorted() == [0, 1, 2])
        #expect(connections.count(alias: "alice") == 0 && connections.count(alias: "bob") == 0)
        // A client reconnecting while the server stops is not admitted.
        #expect(connections.add(alias: "alice", evict: {}, goAway: {}) == nil)
    }

    @Test("the WebSocket port answers plain HTTP with 426, and with 503 and Retry-After once the server is stopping")
    func stoppingRouter() async throws {
        let connections = SocketConnections()
        try await Application(router: SocketEndpoint.router(connections: connections)).test(.router) { client in
            let before = try await client.execute(uri: "/", method: .get)
            #expect(before.status == .upgradeRequired)
            await connections.closeAll(within: .zero)
            let after = try await client.execute(uri: "/", method: .get)
            #expect(after.status == .serviceUnavailable)
            #expect(after.headers[.retryAfter] == "1")
            #expect(after.errorMessage == "Server shutting down; reconnect in a moment")
        }
    }

    private func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }
}

/// The indexes of evicted connections, in order.
private final class EvictionLog: Sendable {
    private let state = Mutex<[Int]>([])
    func append(_ index: Int) { state.withLock { $0.append(index) } }
    var values: [Int] { state.withLock { $0 } }
}
