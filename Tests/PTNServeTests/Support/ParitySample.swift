import Foundation

/// Random requests for the lane differential test: table routes and others, every way of presenting a key, conditional
/// headers (with validators the servers gave earlier), ranges, Accept-Encoding, client request ids, and now and then a
/// key in a JSON body or a `Connection: close`.
struct ParitySample {
    typealias Key = TestDataRoot.Key

    /// One request, as bytes to send.
    struct Request {
        let text: String
        let isHead: Bool
        let clientRequestID: Bool
        let closes: Bool
        /// The target and Accept-Encoding, under which validators are learnt.
        let validatorKey: String
    }

    /// ETag and Last-Modified seen per target and encoding.
    private var validators = [String: (etag: String, lastModified: String?)]()

    static let targets: [String] = {
        let (a, b) = (TestDataRoot.hotkeyA, TestDataRoot.hotkeyB)
        return [
            "/miner-positions", "/miner-positions?tier=0", "/miner-positions?tier=30", "/miner-positions?tier=50", "/miner-positions?tier=100",
            "/miner-positions?tier=7", "/miner-positions/\(a)", "/miner-positions/\(b)", "/miner-positions/5Unknown",
            "/miner-positions/\(a)?trade_pair=BTCUSD&status=closed", "/miner-positions?hotkeys=\(a),5Nobody", "/miner-positions?fields=all_time_returns",
            "/miner-positions?trade_pair=BTCUSD", "/miner-positions?status=bogus", "/miner-hotkeys", "/statistics", "/statistics?fields=weight",
            "/statistics/\(a)/", "/statistics/\(b)", "/statistics/5Unknown/", "/eliminations", "/miner-copying", "/validator-checkpoint",
            // Not /usage: Hummingbird answers it on both servers, from rows a background flush moves between two places.
            "/health", "/nope", "/Miner-Hotkeys", "/miner-hotkeys/", "/miner-positions/\(a)/extra", "/miner-positions/%35Gp",
        ]
    }()

    static let encodings = [nil, "gzip", "gzip;q=0", "*", "identity", "br, gzip", "GZIP, deflate", "x-gzip;q=0.5"]
    static let ranges = [nil, "bytes=0-99", "bytes=-50", "bytes=100-", "bytes=999999999-", "bytes=0-1,5-6", "items=0-5", "bytes=5-2"]

    /// The next request.
    mutating func next(_ random: inout SeededRandom) -> Request {
        let target = Self.targets.randomElement(using: &random)!
        let isHead = Int.random(in: 0..<5, using: &random) == 0
        var lines = ["\(isHead ? "HEAD" : "GET") \(target) HTTP/1.1", "Host: 127.0.0.1"]
        let key = FastLaneDifferentialTests.keys.randomElement(using: &random)!
        var bodyKey: String?
        switch Int.random(in: 0..<10, using: &random) {
        case 0...4: lines.append("Authorization: Bearer \(key)")
        case 5: lines.append("Authorization: \(key)")
        case 6: lines.append("X-API-Key: \(key)")
        case 7: lines.append("Authorization: Basic \(key)")
        case 8: bodyKey = key
        default: break
        }
        let encoding = Self.encodings.randomElement(using: &random)!
        if let encoding { lines.append("Accept-Encoding: \(encoding)") }
        let validatorKey = target + " " + (encoding ?? "")
        if let known = validators[validatorKey] {
            switch Int.random(in: 0..<6, using: &random) {
            case 0: lines.append("If-None-Match: \(known.etag)")
            case 1: lines.append("If-None-Match: W/\(known.etag), \"other\"")
            case 2: if let date = known.lastModified { lines.append("If-Modified-Since: \(date)") }
            case 3: lines.append("If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT")
            case 4: if let range = Self.ranges.randomElement(using: &random)! { lines += ["Range: \(range)", "If-Range: \(known.etag)"] }
            default: break
            }
        } else if Bool.random(using: &random) {
            lines.append("If-None-Match: \"stale\"")
        }
        if let range = Self.ranges.randomElement(using: &random)!, Int.random(in: 0..<3, using: &random) > 0 { lines.append("Range: \(range)") }
        let clientRequestID = Int.random(in: 0..<8, using: &random) == 0
        if clientRequestID { lines.append("X-Request-Id: client-\(Int.random(in: 0..<1000, using: &random))") }
        let closes = Int.random(in: 0..<25, using: &random) == 0
        if closes { lines.append("Connection: close") }
        var body = ""
        if let bodyKey {
            body = "{\"api_key\": \"\(bodyKey)\"}"
            lines += ["Content-Type: application/json", "Content-Length: \(body.utf8.count)"]
        }
        let text = lines.joined(separator: "\r\n") + "\r\n\r\n" + body
        return Request(text: text, isHead: isHead, clientRequestID: clientRequestID, closes: closes, validatorKey: validatorKey)
    }

    /// Keeps the validators of a 200, for conditional requests later.
    mutating func learn(_ request: Request, _ response: WireResponse) {
        guard response.status == 200, let etag = response.value("ETag") else { return }
        validators[request.validatorKey] = (etag, response.value("Last-Modified"))
    }
}
