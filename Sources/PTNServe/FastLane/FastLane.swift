import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTPTypes

/// Answers reads of table routes on the event loop, from the same decision as Hummingbird's lane (`TableAnswer`), with
/// the same request id, log line, metrics and usage, and the same fields as Hummingbird adds (`Date`, `Server`). It
/// takes only plain GET and HEAD requests without a body; for everything else it returns nil and Hummingbird answers.
struct FastLane: Sendable {
    let routes: FastLaneRoutes
    let answer: TableAnswer
    let log: RequestLogMiddleware
    /// The application's logger: each request's logger is this one with its id, as Hummingbird makes it.
    let logger: Logger
    /// The `Server` field Hummingbird adds (the application's `serverName`).
    let serverName: String?

    /// Fields whose presence makes a request one for Hummingbird: a body (a key sent in a JSON body), connection
    /// management (`close`, upgrades), expectations.
    static let handedOnFields: [HTTPField.Name] = [.contentLength, .transferEncoding, .connection, .upgrade, .expect, .te]

    /// The answer's parts, written in order and flushed together; nil to hand the request to Hummingbird. `date` is the
    /// `Date` field's value for now; `memo`, the connection's last key digest.
    func respond(to head: HTTPRequest, channel: any Channel, date: String, memo: inout KeyDigestMemo) -> [HTTPResponsePart]? {
        guard head.method == .get || head.method == .head, !Self.handedOnFields.contains(where: { head.headerFields.contains($0) }) else {
            return nil
        }
        let request = Request(head: head, body: RequestBody(buffer: ByteBuffer()))
        guard (try? RequestSizeLimitMiddleware<AppRequestContext>.check(request)) != nil, let (route, parameters) = routes.match(request.uri.path)
        else { return nil }
        let start = ContinuousClock.now
        let key = answer.extractor.headerKey(request) ?? answer.extractor.queryKey(request)
        let decision = answer.decide(request, presented: .success(key), parameters: parameters, controller: route.controller, memo: &memo)
        // A body held only as gzip is inflated while sent, which only Hummingbird's async writer does; nothing is charged yet.
        if head.method == .get, case .keyed(_, .success(let answered)) = decision, case .inflating = answered.body { return nil }
        // A quota shared by replicas is judged by a lease from the database, which only Hummingbird's lane waits for.
        if answer.needsLease(decision) { return nil }

        var requestLogger = logger
        requestLogger[metadataKey: RequestIDHeader.metadataKey] = .stringConvertible(RequestID())
        var context = AppRequestContext(source: ApplicationRequestContextSource(channel: channel, logger: requestLogger))
        context.coreContext.parameters = parameters
        context.coreContext.endpointPath.value = route.endpointPath
        RequestLogMiddleware.identify(request, context: &context)
        // The decision's context is an inner copy, as the middlewares' are: the log line carries no client field.
        var inner = context
        var response = answer.commit(decision, step: answer.localPlanStep(decision, request: request), request: request, context: &inner)
        response.headers[RequestIDHeader.name] = context.id
        let bytes = head.method == .head ? 0 : response.contentLength
        log.record(request, context, status: response.status.code, bytes: bytes, duration: ContinuousClock.now - start)
        response.headers[.date] = date
        if let serverName { response.headers[.server] = serverName }

        let responseHead = HTTPResponsePart.head(HTTPResponse(status: response.status, headerFields: response.headers))
        guard head.method == .get, case .bytes(let bytes) = response.body else { return [responseHead, .end(nil)] }
        return [responseHead, .body(bytes), .end(nil)]
    }
}
