import Foundation
import Hummingbird
import Logging

/// Outermost middleware: answers with the request's id, and once it is answered logs one line and feeds metrics and usage.
///
/// Sits outside `JSONErrorMiddleware`, so it sees every error already turned into its response. It logs the route
/// template, never the raw path or query (which may carry `?api_key=`), and the key's alias, never the key.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let metrics: ServeMetrics?
    let usage: UsageRecorder?
    let traffic: TrafficRecorder?
    /// Keyed answers, for quotas and the durable usage rows.
    let meter: UsageMeter?

    init(metrics: ServeMetrics?, usage: UsageRecorder?, traffic: TrafficRecorder? = nil, meter: UsageMeter? = nil) {
        self.metrics = metrics
        self.usage = usage
        self.traffic = traffic
        self.meter = meter
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var context = context
        Self.identify(request, context: &context)
        do {
            var response = try await next(request, context)
            response.headers[RequestIDHeader.name] = context.id
            let bytes = request.method == .head ? 0 : (response.body.contentLength ?? 0)
            record(request, context, status: response.status.code, bytes: bytes, duration: ContinuousClock.now - start)
            return response
        } catch {
            // Only a failure to render an error gets here; it is still one request to count.
            record(request, context, status: 500, bytes: 0, duration: ContinuousClock.now - start)
            throw error
        }
    }

    /// One id per request: Hummingbird's, which its logger already carries, unless the client sent its own.
    static func identify(_ request: Request, context: inout Context) {
        if let clientID = RequestIDHeader.accepted(request.headers[RequestIDHeader.name]) {
            context.logger[metadataKey: RequestIDHeader.metadataKey] = .string(clientID)
        }
    }

    /// Logs the request's line and feeds metrics and usage; the fast lane calls it as this middleware does.
    func record(_ request: Request, _ context: Context, status: Int, bytes: Int, duration: Duration) {
        let route = context.endpointPath ?? "NotFound"
        let alias = context.observation.alias ?? "unknown"
        let method = Self.methodLabel(request.method)
        metrics?.recordRequest(route: route, method: method, status: status, alias: alias, duration: duration, bytes: bytes)
        usage?.record(alias: alias, route: route, status: status, duration: duration)
        traffic?.record(alias: alias, route: route, status: status, bytes: bytes, duration: duration)
        if let keyAlias = context.observation.alias { meter?.record(alias: keyAlias, route: route, status: status, bytes: bytes) }
        context.logger.info(
            "request",
            metadata: [
                "method": .string(method), "route": .string(route), "status": .stringConvertible(status),
                "bytes": .stringConvertible(bytes), "duration_ms": .string(duration.millisecondsText),
                "alias": .string(alias),
            ]
        )
    }

    /// Methods outside the usual set share one label, so a client sending made-up methods cannot grow the label set.
    static func methodLabel(_ method: HTTPRequest.Method) -> String {
        switch method {
        case .get, .head, .post, .put, .patch, .delete, .options: method.rawValue
        default: "OTHER"
        }
    }
}
