import Foundation

/// Compares the answers two servers gave to the same request: equal but for `Date`, the request id Hummingbird makes
/// (a client's own id must come back on both), and the seconds that count down between the two requests (RateLimit
/// reset, Retry-After, a quota's refill time, the retry in a 429's message), which may differ by a second or two.
enum LaneParity {
    /// Fields whose numbers are clocks read a moment apart.
    static let countdownFields: Set<String> = ["ratelimit-reset", "retry-after", "ratelimit"]

    /// Nil when `a` and `b` are the same answer, else what differs.
    static func difference(_ a: WireResponse, _ b: WireResponse, clientRequestID: Bool) -> String? {
        if a.statusLine != b.statusLine { return "status: \(a.statusLine) vs \(b.statusLine)" }
        let fieldsA = kept(a, clientRequestID: clientRequestID)
        let fieldsB = kept(b, clientRequestID: clientRequestID)
        if fieldsA.map(\.name) != fieldsB.map(\.name) { return "fields: \(fieldsA.map(\.name)) vs \(fieldsB.map(\.name))" }
        let countdown = a.status == 429
        for (x, y) in zip(fieldsA, fieldsB) where x.value != y.value {
            let lowered = x.name.lowercased()
            let tolerated = countdownFields.contains(lowered) || (countdown && lowered == "content-length")
            if !(tolerated && nearlyEqual(x.value, y.value)) { return "\(x.name): \(x.value) vs \(y.value)" }
        }
        if a.body != b.body {
            let (textA, textB) = (String(decoding: a.body, as: UTF8.self), String(decoding: b.body, as: UTF8.self))
            if !(countdown && nearlyEqual(textA, textB)) { return "body: \(textA.prefix(200)) vs \(textB.prefix(200))" }
        }
        return nil
    }

    private static func kept(_ response: WireResponse, clientRequestID: Bool) -> [(name: String, value: String)] {
        response.fields.filter { field in
            let name = field.name.lowercased()
            return name != "date" && (clientRequestID || name != "x-request-id")
        }
    }

    /// The same text but for whole numbers each within 2 of the other's.
    static func nearlyEqual(_ a: String, _ b: String) -> Bool {
        let (skeletonA, numbersA) = split(a)
        let (skeletonB, numbersB) = split(b)
        return skeletonA == skeletonB && numbersA.count == numbersB.count && zip(numbersA, numbersB).allSatisfy { abs($0 - $1) <= 2 }
    }

    private static func split(_ text: String) -> (String, [Int]) {
        var skeleton = ""
        var numbers = [Int]()
        var digits = ""
        for character in text + " " {
            if character.isASCII, character.isNumber {
                digits.append(character)
                continue
            }
            if !digits.isEmpty {
                numbers.append(Int(digits) ?? 0)
                skeleton.append("#")
                digits = ""
            }
            skeleton.append(character)
        }
        return (skeleton, numbers)
    }
}
