import Foundation

/// A one-line verdict on a key file for `ptn-serve config check`: how many keys, never which.
package enum KeyFileCheck {
    package static func summary(_ file: URL) -> String {
        guard let contents = FileManager.default.contents(atPath: file.path) else {
            return "key file: missing or unreadable (serve would stop with exit code 2)"
        }
        do {
            let (keys, warnings) = try APIKeyFile.parse(contents)
            let skipped = warnings.isEmpty ? "" : ", \(warnings.count) entries skipped"
            return "key file: \(keys.count) keys\(skipped)"
        } catch {
            return "key file: not usable: \(error.description) (serve would stop with exit code 2)"
        }
    }
}
