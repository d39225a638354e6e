/// Formats a Double exactly as Python's `repr(float)` (and so `json.dumps`) does.
enum PythonFloatFormat {
    /// Python's shortest round-trip digits, fixed notation for decimal exponents -4 ..< 16, else `1.5e-07` / `1e+16`.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        // Swift's description already yields the shortest round-trip digits; only the layout differs from Python.
        var text = value.description
        // Swift only uses fixed notation inside Python's fixed range, where both print the same digits the same way.
        if !text.contains("e") { return text }
        let negative = text.hasPrefix("-")
        if negative { text.removeFirst() }
        let (digits, pointPosition) = shortestDigits(of: text)
        let sign = negative ? "-" : ""
        let exponent = pointPosition - 1
        if exponent >= -4 && exponent < 16 {
            return sign + fixedNotation(digits: digits, pointPosition: pointPosition)
        }
        let mantissa = digits.count == 1 ? digits : digits.prefix(1) + "." + digits.dropFirst()
        let exponentDigits = String(abs(exponent))
        let paddedExponent = exponentDigits.count < 2 ? "0" + exponentDigits : exponentDigits
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + paddedExponent
    }

    /// Significant digits without leading/trailing zeros, and where the point goes: value = 0.DIGITS × 10^pointPosition.
    private static func shortestDigits(of text: String) -> (digits: String, pointPosition: Int) {
        let parts = text.split(separator: "e", maxSplits: 1)
        let exponent = parts.count == 2 ? Int(parts[1])! : 0
        let mantissa = parts[0]
        let integerPart = mantissa.split(separator: ".", omittingEmptySubsequences: false)[0]
        var digits = mantissa.filter { $0 != "." }
        var pointPosition = integerPart.count + exponent
        while digits.first == "0" && digits.count > 1 {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.last == "0" && digits.count > 1 { digits.removeLast() }
        if digits == "0" { pointPosition = 1 }
        return (digits, pointPosition)
    }

    private static func fixedNotation(digits: String, pointPosition: Int) -> String {
        if pointPosition <= 0 {
            return "0." + String(repeating: "0", count: -pointPosition) + digits
        }
        if pointPosition >= digits.count {
            return digits + String(repeating: "0", count: pointPosition - digits.count) + ".0"
        }
        let splitIndex = digits.index(digits.startIndex, offsetBy: pointPosition)
        return digits[..<splitIndex] + "." + digits[splitIndex...]
    }
}
