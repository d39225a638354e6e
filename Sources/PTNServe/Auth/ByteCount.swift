/// A number of bytes written for people: `20 GB`, `500MB`, `1.5 TB`, `2 GiB`, or a plain integer.
enum ByteCount {
    /// Parses a size; decimal units (kB, MB, GB, TB: powers of 1000) and binary ones (KiB, MiB, GiB, TiB). Nil for
    /// anything else, and for sizes below one byte.
    static func parse(_ text: String) -> Int64? {
        let trimmed = text.filter { $0 != " " }
        let digits = trimmed.prefix { $0.isNumber || $0 == "." }
        guard let number = Double(digits), number >= 1 else { return nil }
        let multiplier: Double
        switch trimmed.dropFirst(digits.count).lowercased() {
        case "", "b": multiplier = 1
        case "kb", "k": multiplier = 1e3
        case "mb", "m": multiplier = 1e6
        case "gb", "g": multiplier = 1e9
        case "tb", "t": multiplier = 1e12
        case "kib": multiplier = 1024
        case "mib": multiplier = 1_048_576
        case "gib": multiplier = 1_073_741_824
        case "tib": multiplier = 1_099_511_627_776
        default: return nil
        }
        let bytes = (number * multiplier).rounded()
        guard bytes < 9e18 else { return nil }
        return Int64(bytes)
    }

    /// `bytes` in the largest decimal unit that divides it (`20 GB`), else in bytes.
    static func text(_ bytes: Int64) -> String {
        for (unit, size) in [("TB", Int64(1_000_000_000_000)), ("GB", 1_000_000_000), ("MB", 1_000_000), ("kB", 1_000)]
        where bytes >= size && bytes % size == 0 {
            return "\(bytes / size) \(unit)"
        }
        return "\(bytes) B"
    }
}
