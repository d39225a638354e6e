@testable import PTNServe
@testable import PTNServeDemo

/// Generates random `FuzzValue`s and renders them the way Python's `json.dumps` might (plus some extra whitespace).
struct FuzzGenerator {
    /// Separator styles: Python's default, Python's compact form, and arbitrary legal whitespace.
    enum Style: CaseIterable { case pythonDefault, compact, looseWhitespace }

    var random: SplitMix64
    let style: Style

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
        style = Style.allCases[Int(seed % UInt64(Style.allCases.count))]
    }

    // MARK: Values

    mutating func object(depth: Int) -> [FuzzMember] {
        var seenKeys = Set<[Unicode.Scalar]>()
        var members: [FuzzMember] = []
        for _ in 0 ..< Int.random(in: 0 ... 6, using: &random) {
            let key = string()
            // Foundation keeps one value per key, so generated keys are unique (duplicates have their own unit test).
            guard seenKeys.insert(Array(key.unicodeScalars)).inserted else { continue }
            members.append(FuzzMember(key: key, value: value(depth: depth + 1)))
        }
        return members
    }

    mutating func value(depth: Int) -> FuzzValue {
        let containerWeight = depth < 4 ? 3 : 0
        switch Int.random(in: 0 ..< 7 + containerWeight, using: &random) {
        case 0, 1: return .string(string())
        case 2, 3: return .number(number())
        case 4: return .bool(Bool.random(using: &random))
        case 5: return .null
        case 6: return .number(String(Int.random(in: -1000 ... 1000, using: &random)))
        case 7: return .array((0 ..< Int.random(in: 0 ... 5, using: &random)).map { _ in value(depth: depth + 1) })
        default: return .object(object(depth: depth))
        }
    }

    mutating func string() -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0 ..< Int.random(in: 0 ... 12, using: &random) {
            scalars.append(scalar())
        }
        return String(scalars)
    }

    private mutating func scalar() -> Unicode.Scalar {
        let pools: [ClosedRange<UInt32>] = [
            0x61 ... 0x7A, 0x20 ... 0x7E, 0x22 ... 0x22, 0x5C ... 0x5C, 0x2F ... 0x2F, 0x00 ... 0x1F, 0x7F ... 0x7FF,
            0x800 ... 0xD7FF, 0xE000 ... 0xFFFF, 0x1F600 ... 0x1F64F, 0x10000 ... 0x10FFFF,
        ]
        let pool = pools[Int.random(in: 0 ..< pools.count, using: &random)]
        return Unicode.Scalar(UInt32.random(in: pool, using: &random))!
    }

    /// Every RFC 8259 number shape: optional sign, zero or multi-digit integer, optional fraction and exponent.
    private mutating func number() -> String {
        var text = Bool.random(using: &random) ? "-" : ""
        if Int.random(in: 0 ..< 4, using: &random) == 0 {
            text += "0"
        } else {
            text += String(Int.random(in: 1 ... 9, using: &random)) + digits(0 ... 15)
        }
        if Bool.random(using: &random) { text += "." + digits(1 ... 12) }
        if Int.random(in: 0 ..< 3, using: &random) == 0 {
            text += ["e", "E"].randomElement(using: &random)! + ["", "+", "-"].randomElement(using: &random)!
            text += String(Int.random(in: 0 ... 40, using: &random))
        }
        return text
    }

    private mutating func digits(_ count: ClosedRange<Int>) -> String {
        String((0 ..< Int.random(in: count, using: &random)).map { _ in "0123456789".randomElement(using: &random)! })
    }

    // MARK: Rendering

    mutating func render(_ value: FuzzValue) -> [UInt8] {
        var output: [UInt8] = []
        write(value, into: &output)
        return output
    }

    private mutating func write(_ value: FuzzValue, into output: inout [UInt8]) {
        switch value {
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { separator(",", into: &output) }
                writeString(member.key, into: &output)
                separator(":", into: &output)
                write(member.value, into: &output)
            }
            output.append(UInt8(ascii: "}"))
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { separator(",", into: &output) }
                write(element, into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .string(let text): writeString(text, into: &output)
        case .number(let text): output += Array(text.utf8)
        case .bool(let flag): output += Array((flag ? "true" : "false").utf8)
        case .null: output += Array("null".utf8)
        }
    }

    private mutating func separator(_ mark: Character, into output: inout [UInt8]) {
        switch style {
        case .pythonDefault: output += Array("\(mark) ".utf8)
        case .compact: output += Array(String(mark).utf8)
        case .looseWhitespace: output += Array((whitespace() + String(mark) + whitespace()).utf8)
        }
    }

    private mutating func whitespace() -> String {
        String((0 ..< Int.random(in: 0 ... 2, using: &random)).map { _ in [" ", "\t", "\n", "\r"].randomElement(using: &random)! })
    }

    /// Escapes the way `json.dumps` does, sometimes with `ensure_ascii` (\u escapes, surrogate pairs) and sometimes raw UTF-8.
    private mutating func writeString(_ text: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            let escapeChoice = Int.random(in: 0 ..< 4, using: &random)
            switch scalar {
            case "\"": output += Array("\\\"".utf8)
            case "\\": output += Array("\\\\".utf8)
            case "/" where escapeChoice == 0: output += Array("\\/".utf8)
            case "\n" where escapeChoice > 0: output += Array("\\n".utf8)
            case "\t" where escapeChoice > 0: output += Array("\\t".utf8)
            case "\r" where escapeChoice > 0: output += Array("\\r".utf8)
            case "\u{08}" where escapeChoice > 0: output += Array("\\b".utf8)
            case "\u{0C}" where escapeChoice > 0: output += Array("\\f".utf8)
            case _ where scalar.value < 0x20 || (scalar.value >= 0x80 && escapeChoice < 2) || escapeChoice == 3 && scalar.isASCII:
                for unit in String(scalar).utf16 { output += Array(hexEscape(unit).utf8) }
            default: output += Array(String(scalar).utf8)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    private mutating func hexEscape(_ unit: UInt16) -> String {
        let hex = String(unit, radix: 16)
        let padded = String(repeating: "0", count: 4 - hex.count) + hex
        return "\\u" + (Bool.random(using: &random) ? padded.uppercased() : padded)
    }
}
