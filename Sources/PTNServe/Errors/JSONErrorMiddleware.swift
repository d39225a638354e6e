import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

/// Turns every error into a `{"error": "..."}` response: the one place errors become HTTP.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    init() {}

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return try Self.response(for: error, request: request, context: context)
        }
    }

    /// The JSON error response for `error`; for middleware that must add fields to error answers (rate limits).
    static func response(for error: Error, request: Request, context: Context) throws -> Response {
        try apiError(for: error, context: context).response(from: request, context: context)
    }

    /// The JSON error answer for `error`, for the table routes' decision (the same rendering as `response(for:)`).
    static func prepared(for error: Error, context: Context) -> PreparedResponse {
        apiError(for: error, context: context).prepared
    }

    /// Maps framework and unexpected errors onto the API's errors; unexpected ones are logged without detail leaking out.
    static func apiError(for error: Error, context: Context) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case is NIOTooManyBytesError:
            return .bodyTooLarge
        case is HTTPParserError:
            // NIO's parser failing on the body (a bad chunk size, say) surfaces here while the body is read.
            return .malformedFraming
        case is RequestReadTimeoutHandler.TimedOut:
            return .requestTimeout
        case let error as HTTPError:
            switch error.status {
            case .notFound: return .resourceNotFound
            case .methodNotAllowed: return .methodNotAllowed
            case .contentTooLarge: return .bodyTooLarge
            case .badRequest: return .badRequest(error.body ?? "malformed request")
            default:
                context.logger.error("unexpected HTTP error", metadata: ["status": "\(error.status.code)"])
                return .internalError
            }
        default:
            context.logger.error("unexpected error", metadata: ["type": "\(type(of: error))"])
            return .internalError
        }
    }
}
