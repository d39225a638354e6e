import Foundation
import Hummingbird

/// `/openapi.json`: the API description kept in the repository (`Sources/PTNServe/OpenAPI/openapi.json`), no key needed.
struct OpenAPIController {
    /// The document's bytes, read from the bundle once.
    static let document: ByteBuffer? = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
            let data = try? Data(contentsOf: url)
        else { return nil }
        return ByteBuffer(bytes: data)
    }()

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("openapi.json") { _, _ -> Response in
            guard let document = Self.document else { throw APIError.resourceNotFound }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: document))
        }
    }
}
