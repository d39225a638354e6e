import Foundation
import Mustache

/// The pages' Mustache templates, read once from the package's resources. `{{name}}` escapes HTML, so strings from
/// data files or the key file can go into a page as text; the templates use no triple mustaches.
struct PageTemplates: Sendable {
    private let library: MustacheLibrary

    /// The package's `Web/Templates` folder.
    static let bundled = PageTemplates(directory: Bundle.module.url(forResource: "Templates", withExtension: nil))

    init(directory: URL?) {
        var library = MustacheLibrary()
        let names = directory.flatMap { try? FileManager.default.contentsOfDirectory(atPath: $0.path) } ?? []
        for name in names where name.hasSuffix(".mustache") {
            guard let directory,
                let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path),
                let template = try? MustacheTemplate(string: String(decoding: data, as: UTF8.self))
            else { continue }
            library.register(template, named: String(name.dropLast(".mustache".count)))
        }
        self.library = library
    }

    /// The page `name` rendered with `context` (dictionaries and arrays of them); empty when there is no such template.
    func render(_ name: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: name) ?? ""
    }
}
