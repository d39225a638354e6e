import Hummingbird

/// `/openapi.json`: the API description generated from the route table at start, no key needed.
struct OpenAPIController {
    /// The document's bytes.
    let document: ByteBuffer

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("openapi.json") { [document] _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: document))
        }
    }
}
