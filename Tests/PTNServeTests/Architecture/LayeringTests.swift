import Foundation
import Testing

/// The folders of `Sources/PTNServe` are layers: a folder uses only the folders below it. The order is the README's
/// (its "Layers, lowest first" line), so the map and the check cannot drift apart.
@Suite("Layering: each folder uses only the folders below it")
struct LayeringTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let sources = repository.appendingPathComponent("Sources/PTNServe")

    @Test("no folder uses a type declared in a folder above it")
    func layersPointOneWay() throws {
        let order = try Self.readmeOrder()
        let files = try Self.sourceFiles()
        let folders = Set(files.map(\.folder))
        #expect(folders.subtracting(order).isEmpty, "folders missing from the README's layer order: \(folders.subtracting(order).sorted())")
        #expect(Set(order).subtracting(folders).isEmpty, "the README's layer order names folders that do not exist: \(Set(order).subtracting(folders).sorted())")
        let found = Layering.violations(in: files, order: order)
        #expect(found.isEmpty, "\(found.count) uses of a higher layer:\n\(found.joined(separator: "\n"))")
    }

    @Test("the check finds a use of a higher folder, and ignores comments and strings")
    func checkFindsViolations() {
        let files = [
            Layering.File(path: "Low/Model.swift", folder: "Low", text: """
                /// Not `Controller`: a comment.
                public struct Model: Sendable {
                    let note = "Controller in a string"
                    let controller: Controller?
                }
                """),
            Layering.File(path: "High/Controller.swift", folder: "High", text: """
                struct Controller {
                    let model: Model
                }
                private struct Hidden {}
                """),
        ]
        #expect(Layering.violations(in: files, order: ["Low", "High"]) == ["Low/Model.swift:4 uses Controller (High)"])
        #expect(Layering.violations(in: files, order: ["High", "Low"]) == ["High/Controller.swift:2 uses Model (Low)"])
    }

    /// The folder names of the README's sentence "Layers, lowest first: `A` → `B` → … `Z`."
    static func readmeOrder() throws -> [String] {
        let readme = try String(contentsOf: repository.appendingPathComponent("README.md"), encoding: .utf8)
        let marker = "Layers, lowest first:"
        guard let start = readme.range(of: marker) else {
            Issue.record("README.md has no \"\(marker)\" line")
            return []
        }
        // The list ends at the sentence's full stop.
        let list = readme[start.upperBound...].prefix { $0 != "." }
        return list.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }
            .map { String($0.element) }
    }

    /// Every Swift file of the library, with the top folder it sits in.
    static func sourceFiles() throws -> [Layering.File] {
        let paths = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String } ?? []
        return try paths.filter { $0.hasSuffix(".swift") && $0.contains("/") }.sorted().map { path in
            Layering.File(
                path: path, folder: String(path.prefix { $0 != "/" }),
                text: try String(contentsOf: sources.appendingPathComponent(path), encoding: .utf8)
            )
        }
    }
}

/// The check itself: which top-level types each folder declares, and where a file names one from a higher folder.
enum Layering {
    struct File {
        let path: String
        let folder: String
        let text: String
    }

    /// A top-level type declaration (at the start of a line, so nested types are reached through their outer type's
    /// name). `private` and `fileprivate` ones are left out: no other file can name them. An `extension X` is a use
    /// of `X`, not a declaration.
    static let declaration =
        #"^(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|internal|package|final|open|indirect|nonisolated)\s+)*(?:struct|class|enum|protocol|actor|typealias)\s+([A-Za-z_]\w*)"#

    /// "File:line uses Type (Folder)" for each line that names a type declared in a folder above the file's own.
    static func violations(in files: [File], order: [String]) -> [String] {
        let rank = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($0.element, $0.offset) })
        let code = files.map { codeLines($0.text) }
        let declaration = try! Regex(declaration)
        var owner = [String: String]()
        for (file, lines) in zip(files, code) {
            for line in lines {
                if let match = try? declaration.prefixMatch(in: line), let name = match.output[1].substring { owner[String(name)] = file.folder }
            }
        }
        var found = [String]()
        for (file, lines) in zip(files, code) {
            let level = rank[file.folder] ?? Int.max
            for (index, line) in lines.enumerated() {
                var reported = Set<String>()
                for word in identifiers(line) where !reported.contains(word) {
                    guard let folder = owner[word], folder != file.folder, (rank[folder] ?? Int.max) > level else { continue }
                    reported.insert(word)
                    found.append("\(file.path):\(index + 1) uses \(word) (\(folder))")
                }
            }
        }
        return found
    }

    /// The file's lines with comments and string literals (plain, multi-line and raw) taken out, line numbers kept. An
    /// interpolation goes with its string: a type named only inside one is missed, which keeps the scanner simple.
    static func codeLines(_ text: String) -> [String] {
        let characters = Array(text)
        var code = ""
        var index = 0
        func starts(_ token: String, at position: Int) -> Bool {
            guard position + token.count <= characters.count else { return false }
            for (offset, character) in token.enumerated() where characters[position + offset] != character { return false }
            return true
        }
        /// Moves past `terminator`, keeping only the line breaks passed.
        func skip(past terminator: String, escapes: Bool) {
            while index < characters.count {
                if escapes, characters[index] == "\\" {
                    if index + 1 < characters.count, characters[index + 1] == "\n" { code.append("\n") }
                    index += 2
                } else if starts(terminator, at: index) {
                    index += terminator.count
                    return
                } else {
                    if characters[index] == "\n" { code.append("\n") }
                    index += 1
                }
            }
        }
        while index < characters.count {
            if starts("//", at: index) {
                while index < characters.count, characters[index] != "\n" { index += 1 }
                continue
            }
            if starts("/*", at: index) {
                index += 2
                skip(past: "*/", escapes: false)
                continue
            }
            var hashes = 0
            while index + hashes < characters.count, characters[index + hashes] == "#" { hashes += 1 }
            guard index + hashes < characters.count, characters[index + hashes] == "\"" else {
                code.append(characters[index])
                index += 1
                continue
            }
            let triple = starts("\"\"\"", at: index + hashes)
            index += hashes + (triple ? 3 : 1)
            code += "\"\""
            skip(past: (triple ? "\"\"\"" : "\"") + String(repeating: "#", count: hashes), escapes: hashes == 0)
        }
        return code.components(separatedBy: "\n")
    }

    /// The identifiers of a line of code (word-boundary matches).
    static func identifiers(_ line: String) -> [String] {
        line.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init).filter { !($0.first?.isNumber ?? true) }
    }
}
