import Foundation

extension RouteTable {
    /// The profiles shipped with the server, as route files in `Sources/PTNServe/Profiles/`.
    package static let builtInProfiles = ["ptn", "vanta"]

    /// The route file text of a built-in profile.
    package static func profileText(_ name: String) -> String? {
        guard builtInProfiles.contains(name),
            let url = Bundle.module.url(forResource: name, withExtension: "yaml", subdirectory: "Profiles"),
            let data = try? Data(contentsOf: url)
        else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Parses a route file's text (YAML or JSON); a route on one of the `reserved` paths refuses the file.
    package static func parse(_ text: String, reserving reserved: ReservedPaths = ReservedPaths()) throws(RouteFileError) -> RouteTable {
        try RouteFileParser.parse(text, profiles: profileText, reserved: reserved)
    }

    /// A built-in profile's table.
    package static func builtIn(_ name: String, reserving reserved: ReservedPaths = ReservedPaths()) throws(RouteFileError) -> RouteTable {
        guard let text = profileText(name) else {
            throw RouteFileError("no built-in profile \"\(name)\" (built in: \(builtInProfiles.joined(separator: ", ")))")
        }
        return try parse(text, reserving: reserved)
    }

    /// Reads and parses the route file at `path`.
    package static func load(path: String, reserving reserved: ReservedPaths = ReservedPaths()) throws(RouteFileError) -> RouteTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RouteFileError("route file \(path) does not exist or cannot be read")
        }
        return try parse(String(decoding: data, as: UTF8.self), reserving: reserved)
    }

    /// The table a server runs with: `routes` (a route file) when given, else the profile called `profile`.
    package static func resolve(routes: String?, profile: String, reserving reserved: ReservedPaths = ReservedPaths()) throws(RouteFileError) -> RouteTable {
        if let routes { return try load(path: routes, reserving: reserved) }
        return try builtIn(profile, reserving: reserved)
    }
}
