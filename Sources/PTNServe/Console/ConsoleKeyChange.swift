import Foundation

/// A key change the console was asked for, read from a JSON body and checked before the key file is touched.
enum ConsoleKeyChange: Sendable, Equatable {
    /// A new key: alias, tier, and its own rate (nil: the server's default).
    case add(alias: String, tier: Int, rate: RateSpec?)
    /// A new tier and/or rate for a key; `rate` `.some(nil)` returns it to the default rate.
    case change(alias: String, tier: Int?, rate: RateSpec??)
    case revoke(alias: String)

    /// The longest alias taken: it is shown in logs and the console.
    static let maxAliasLength = 64
    static let tierRange = 0...100

    private struct Body: Decodable {
        let alias: String?
        let tier: Int?
        /// `"N/UNIT"`, or `""`/null for the server's default.
        let rate: String?
        let hasRate: Bool

        enum CodingKeys: String, CodingKey { case alias, tier, rate }

        init(from decoder: any Decoder) throws {
            let fields = try decoder.container(keyedBy: CodingKeys.self)
            alias = try fields.decodeIfPresent(String.self, forKey: .alias)
            tier = try fields.decodeIfPresent(Int.self, forKey: .tier)
            rate = try fields.decodeIfPresent(String.self, forKey: .rate)
            hasRate = fields.contains(.rate)
        }
    }

    enum Kind { case add, change, revoke }

    /// Reads `data` as the body of a `kind` request; the error says what is wrong, in the client's terms.
    static func parse(_ data: Data, as kind: Kind) throws(APIError) -> ConsoleKeyChange {
        let body: Body
        do { body = try JSONDecoder().decode(Body.self, from: data) } catch {
            throw .badRequest("the body must be a JSON object like {\"alias\": \"buyer\", \"tier\": 30, \"rate\": \"60/min\"}")
        }
        let alias = try Self.alias(body.alias)
        switch kind {
        case .revoke:
            return .revoke(alias: alias)
        case .add:
            guard let tier = body.tier else { throw .badRequest("tier is required (0 to 100)") }
            return .add(alias: alias, tier: try Self.tier(tier), rate: try Self.rate(body.rate))
        case .change:
            let rate: RateSpec?? = body.hasRate ? .some(try Self.rate(body.rate)) : .none
            guard body.tier != nil || body.hasRate else { throw .badRequest("give a tier or a rate to change") }
            return .change(alias: alias, tier: try body.tier.map { tier throws(APIError) in try Self.tier(tier) }, rate: rate)
        }
    }

    private static func alias(_ text: String?) throws(APIError) -> String {
        let alias = (text ?? "").trimmingCharacters(in: .whitespaces)
        guard !alias.isEmpty else { throw .badRequest("alias is required") }
        guard alias.count <= maxAliasLength else { throw .badRequest("alias is longer than \(maxAliasLength) characters") }
        guard !alias.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) else {
            throw .badRequest("alias holds control characters")
        }
        return alias
    }

    private static func tier(_ value: Int) throws(APIError) -> Int {
        guard tierRange.contains(value) else { throw .badRequest("tier must be from 0 to 100") }
        return value
    }

    /// nil for no rate of its own (absent, null or empty).
    private static func rate(_ text: String?) throws(APIError) -> RateSpec? {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        guard let spec = RateSpec(parsing: text) else { throw .badRequest("rate must be N/s, N/min or N/h, e.g. 60/min") }
        return spec
    }
}
