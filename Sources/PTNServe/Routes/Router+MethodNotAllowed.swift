import Hummingbird

extension Router where Context == AppRequestContext {
    /// Answers the usual non-GET methods on `paths` with 405, so they are not mistaken for unknown paths (404).
    func addMethodNotAllowed(paths: [String]) {
        for path in paths {
            for method in [HTTPRequest.Method.post, .put, .patch, .delete, .options] {
                on(RouterPath(path), method: method) { _, _ -> Response in throw APIError.methodNotAllowed }
            }
        }
    }
}
