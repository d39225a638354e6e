import Foundation
import Testing
@testable import PTNServe

/// The README's flag tables against the option table: an option added, renamed or removed in code shows up here.
@Suite("README: the flag tables")
struct ReadmeFlagTableTests {
    @Test("every serve option has exactly one row in the README's tables, and no row names an option that does not exist")
    func oneRowPerOption() throws {
        let readme = try String(contentsOf: TestDataRoot.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let rows = readme.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("| `--") else { return nil }
            return String(line.dropFirst(5).prefix { $0.isLetter || $0 == "-" })
        }
        let counts = Dictionary(rows.map { ($0, 1) }, uniquingKeysWith: +)
        #expect(counts.filter { $0.value > 1 }.isEmpty, "listed more than once: \(counts.filter { $0.value > 1 }.keys.sorted())")
        // `--config` names the file the other options may live in; it is not an option of its own.
        let options = Set(ServeOption.all.map(\.name) + ["config"])
        #expect(Set(rows) == options, "missing: \(options.subtracting(rows).sorted()); unknown: \(Set(rows).subtracting(options).sorted())")
    }
}
