import Foundation

/// A generated JSON value, kept alongside its rendering so parsed results can be checked against the intent.
indirect enum FuzzValue {
    case object([FuzzMember])
    case array([FuzzValue])
    case string(String)
    /// The literal text as written, so every number shape (exponents, `-0`, fractions) is exercised.
    case number(String)
    case bool(Bool)
    case null

    /// Whether Foundation's parse of this value's bytes equals what was generated.
    func matches(_ parsed: Any) -> Bool {
        switch self {
        case .object(let members):
            guard let dictionary = parsed as? [String: Any], dictionary.count == members.count else { return false }
            return members.allSatisfy { member in dictionary[member.key].map { member.value.matches($0) } ?? false }
        case .array(let elements):
            guard let array = parsed as? [Any], array.count == elements.count else { return false }
            return zip(elements, array).allSatisfy { $0.matches($1) }
        case .string(let text):
            guard let parsedText = parsed as? String else { return false }
            return Array(parsedText.unicodeScalars) == Array(text.unicodeScalars)
        case .number(let text):
            // Foundation keeps long mantissas as NSDecimalNumber, whose doubleValue can be off in the last bits.
            guard let number = parsed as? NSNumber, let expected = Double(text) else { return false }
            return abs(number.doubleValue - expected) <= 1e-12 * abs(expected)
        case .bool(let flag):
            return (parsed as? Bool) == flag
        case .null:
            return parsed is NSNull
        }
    }
}
