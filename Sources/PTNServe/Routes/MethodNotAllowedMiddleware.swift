import Hummingbird

/// Turns the router's 404 for a known path with an unregistered method into 405 `Allow: GET, HEAD`.
///
/// The router answers any method it has no handler for with 404, and methods are open-ended (TRACE, QUERY, ...), so
/// registering a 405 handler per method cannot cover them all. Added last, this only wraps the not-found responder.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The known route templates, split into segments; `{name}` matches any one segment.
    let templates: [[Substring]]

    init(paths: [String]) {
        self.templates = paths.map { $0.split(separator: "/") }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && context.endpointPath == "NotFound" {
            let segments = request.uri.path.split(separator: "/")
            guard let template = templates.first(where: { Self.matches($0, segments) }) else { throw error }
            // The metrics and the request log see the route, not "NotFound".
            context.coreContext.endpointPath.value = "/" + template.joined(separator: "/")
            throw APIError.methodNotAllowed
        }
    }

    static func matches(_ template: [Substring], _ segments: [Substring]) -> Bool {
        guard template.count == segments.count else { return false }
        return zip(template, segments).allSatisfy { pattern, segment in
            (pattern.hasPrefix("{") && pattern.hasSuffix("}")) || pattern == segment
        }
    }
}
