import Hummingbird

/// Refuses over-long URLs (414), header sections (431) and declared bodies (413) before any route or key check runs.
struct RequestSizeLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    init() {}

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try Self.check(request)
        return try await next(request, context)
    }

    /// The size error `request` gets, if any; the fast lane hands such requests to Hummingbird.
    static func check(_ request: Request) throws(APIError) {
        if request.uri.string.utf8.count > RequestLimits.maxURLBytes { throw .uriTooLong }
        var headerBytes = 0
        for field in request.headers { headerBytes += field.name.rawName.utf8.count + field.value.utf8.count }
        if headerBytes > RequestLimits.maxHeaderBytes { throw .headersTooLarge }
        // A declared body over the cap is refused without reading it; undeclared (chunked) bodies are capped where read.
        if let length = request.headers[.contentLength].flatMap(Int.init), length > RequestLimits.maxBodyBytes {
            throw .bodyTooLarge
        }
    }
}
