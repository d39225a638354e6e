import Hummingbird

extension Router where Context == AppRequestContext {
    /// Answers every method but GET and HEAD on `paths` with 405 and `Allow: GET, HEAD` rather than 404. Call it after
    /// the last route: router middleware applies to what is added after it, so this wraps only the not-found answer.
    func addMethodNotAllowed(paths: [String]) {
        add(middleware: MethodNotAllowedMiddleware(paths: paths))
    }
}
