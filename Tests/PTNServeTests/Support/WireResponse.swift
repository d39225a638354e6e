import Foundation

/// One HTTP/1.1 answer as it came off the wire: the status line, the header lines in order, and the body.
struct WireResponse: Equatable, CustomStringConvertible {
    var statusLine: String
    var fields: [(name: String, value: String)]
    var body: Data

    static func == (a: WireResponse, b: WireResponse) -> Bool {
        a.statusLine == b.statusLine && a.body == b.body && a.fields.elementsEqual(b.fields) { $0 == $1 }
    }

    var status: Int { Int(statusLine.split(separator: " ").dropFirst().first ?? "") ?? 0 }

    func value(_ name: String) -> String? { fields.first { $0.name.lowercased() == name.lowercased() }?.value }

    var description: String {
        ([statusLine] + fields.map { "\($0.name): \($0.value)" }).joined(separator: "\n") + "\n\n" + String(decoding: body.prefix(300), as: UTF8.self)
    }

    /// Parses every complete answer in `data` (each carries Content-Length; `heads` says which answer a HEAD's, which has
    /// no body); what is left over (an answer cut off by a close) is returned as raw text in `rest`.
    static func parseAll(_ data: Data, heads: [Bool] = []) -> (responses: [WireResponse], rest: Data) {
        var responses = [WireResponse]()
        var rest = data[...]
        let separator = Data("\r\n\r\n".utf8)
        while let end = rest.range(of: separator) {
            let headText = String(decoding: rest[rest.startIndex..<end.lowerBound], as: UTF8.self)
            var lines = headText.components(separatedBy: "\r\n")
            let statusLine = lines.removeFirst()
            let fields = lines.map { line -> (name: String, value: String) in
                let parts = line.split(separator: ":", maxSplits: 1)
                return (String(parts.first ?? ""), parts.count > 1 ? String(parts[1].drop { $0 == " " }) : "")
            }
            let isHead = responses.count < heads.count && heads[responses.count]
            let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") ?? 0
            let declared = fields.first { $0.name.lowercased() == "content-length" }.flatMap { Int($0.value) } ?? 0
            let length = isHead || status == 304 ? 0 : declared
            guard rest.distance(from: end.upperBound, to: rest.endIndex) >= length else { break }
            let bodyEnd = rest.index(end.upperBound, offsetBy: length)
            responses.append(WireResponse(statusLine: statusLine, fields: fields, body: Data(rest[end.upperBound..<bodyEnd])))
            rest = rest[bodyEnd...]
        }
        return (responses, Data(rest))
    }
}
