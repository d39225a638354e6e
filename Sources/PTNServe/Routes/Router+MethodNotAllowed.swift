import Hummingbird

extension Router where Context == AppRequestContext {
    /// Answers the other standard methods on `paths` with 405 and `Allow: GET, HEAD`, so they are not mistaken for
    /// unknown paths (404). TRACE included: schemathesis' unsupported-method check sends it.
    func addMethodNotAllowed(paths: [String]) {
        for path in paths {
            for method in [HTTPRequest.Method.post, .put, .patch, .delete, .options, .trace] {
                on(RouterPath(path), method: method) { _, _ -> Response in throw APIError.methodNotAllowed }
            }
        }
    }
}
