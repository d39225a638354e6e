import Hummingbird

/// The table routes the fast lane answers, matched on plain paths only. A path with anything Hummingbird's router might
/// read differently (percent-escapes, empty or dot segments, other characters), or that another route could claim,
/// does not match, and Hummingbird answers it.
struct FastLaneRoutes: Sendable {
    /// One table route: its path's segments, the name Hummingbird's router gives it, its controller. A class: matching
    /// hands one on per request, and copying the controller's route struct showed in the profile.
    final class Route: Sendable {
        let segments: [Segment]
        /// `context.endpointPath` as Hummingbird's router sets it, the route label of metrics and logs.
        let endpointPath: String
        let controller: TableRouteController

        init(segments: [Segment], endpointPath: String, controller: TableRouteController) {
            self.segments = segments
            self.endpointPath = endpointPath
            self.controller = controller
        }
    }

    /// A segment of a route's path: a constant, or a capture of one path segment.
    enum Segment: Sendable, Equatable {
        case constant(Substring)
        case capture(Substring)
    }

    let routes: [Route]
    /// First segments of the routes Hummingbird alone answers: such paths are never taken.
    let reserved: Set<Substring>
    /// The routes without captures that no other route also matches, by path (leading `/`, no trailing one): most
    /// requests are found here by one hash lookup.
    let exact: [String: Route]

    /// - Parameters:
    ///   - controllers: the table routes' controllers.
    ///   - otherPaths: every other route's path (as given to the router), whatever their first segment.
    init(controllers: [TableRouteController], otherPaths: [String]) {
        routes = controllers.map { controller in
            let path = RouterPath(controller.route.routerPath)
            let segments = controller.route.routerPath.split(separator: "/").map { part -> Segment in
                part.hasPrefix("{") && part.hasSuffix("}") && part.count > 2 ? .capture(part.dropFirst().dropLast()) : .constant(part)
            }
            return Route(segments: segments, endpointPath: path.description, controller: controller)
        }
        reserved = Set(otherPaths.map { Substring($0.split(separator: "/").first ?? "") })
        var exact = [String: Route]()
        for route in routes where route.segments.allSatisfy({ if case .constant = $0 { true } else { false } }) {
            let path = "/" + route.segments.map { segment -> String in if case .constant(let part) = segment { String(part) } else { "" } }
                .joined(separator: "/")
            exact[path] = route
        }
        // Only what the general match gives the same route: plain, not reserved, matched by no other route.
        let general = Self(routes: routes, reserved: reserved, exact: [:])
        self.exact = exact.filter { path, route in general.match(path)?.0 === route }
    }

    private init(routes: [Route], reserved: Set<Substring>, exact: [String: Route]) {
        self.routes = routes
        self.reserved = reserved
        self.exact = exact
    }

    /// The one route `path` names and its captures; nil when none, several, or the path is not plain.
    func match(_ path: String) -> (Route, Parameters)? {
        if let route = exact[path] ?? (path.utf8.count > 1 && path.utf8.last == UInt8(ascii: "/") ? exact[String(path.dropLast())] : nil) {
            return (route, Parameters())
        }
        guard let segments = Self.plainSegments(path), let first = segments.first, !reserved.contains(first) else { return nil }
        var found: (Route, Parameters)?
        for route in routes where route.segments.count == segments.count {
            var parameters = Parameters()
            var matches = true
            for (segment, part) in zip(route.segments, segments) {
                switch segment {
                case .constant(let constant): matches = constant == part
                case .capture(let name): parameters[name] = part
                }
                if !matches { break }
            }
            guard matches else { continue }
            // Two table routes naming one path: the router's precedence decides, so leave it to the router.
            if found != nil { return nil }
            found = (route, parameters)
        }
        return found
    }

    /// The segments of `/a/b` or `/a/b/`; nil for a path with other bytes than letters, digits, `-`, `.`, `_` and `~`
    /// in its segments, with an empty segment inside, or with a `.` or `..` segment. One pass over the bytes: splitting
    /// by `Character` showed in the lookup's profile.
    static func plainSegments(_ path: String) -> [Substring]? {
        let utf8 = path.utf8
        guard utf8.first == UInt8(ascii: "/") else { return nil }
        var start = utf8.index(after: utf8.startIndex)
        // One trailing `/` is allowed and not a segment.
        let end = utf8.count > 1 && utf8.last == UInt8(ascii: "/") ? utf8.index(before: utf8.endIndex) : utf8.endIndex
        guard start < end else { return nil }
        var segments = [Substring]()
        segments.reserveCapacity(4)
        var index = start
        while true {
            if index == end || utf8[index] == UInt8(ascii: "/") {
                let segment = utf8[start..<index]
                let dots = segment.allSatisfy { $0 == UInt8(ascii: ".") }
                guard !segment.isEmpty, !(dots && segment.count <= 2) else { return nil }
                segments.append(Substring(segment))
                if index == end { return segments }
                start = utf8.index(after: index)
            } else if !isPlain(utf8[index]) {
                return nil
            }
            index = utf8.index(after: index)
        }
    }

    private static func isPlain(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}
