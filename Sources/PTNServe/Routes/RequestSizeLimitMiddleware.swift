import Hummingbird

/// Refuses over-long URLs (414), header sections (431) and declared bodies (413) before any route or key check runs.
public struct RequestSizeLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.string.utf8.count > RequestLimits.maxURLBytes { throw APIError.uriTooLong }
        var headerBytes = 0
        for field in request.headers { headerBytes += field.name.rawName.utf8.count + field.value.utf8.count }
        if headerBytes > RequestLimits.maxHeaderBytes { throw APIError.headersTooLarge }
        // A declared body over the cap is refused without reading it; undeclared (chunked) bodies are capped where read.
        if let length = request.headers[.contentLength].flatMap(Int.init), length > RequestLimits.maxBodyBytes {
            throw APIError.bodyTooLarge
        }
        return try await next(request, context)
    }
}
