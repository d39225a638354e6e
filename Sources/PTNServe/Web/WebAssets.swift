import Foundation
import Hummingbird

/// The pages' static files, read once from the package's resources: served without a key (they hold no data) at
/// `/ui/assets/NAME`, with a strong ETag and a year-long cache, their URLs carrying the content hash.
struct WebAssets: Sendable {
    /// The path prefix of every asset.
    static let prefix = "/ui/assets/"
    private let assets: [String: WebAsset]

    /// The package's `Web/Assets` folder.
    static let bundled = WebAssets(directory: Bundle.module.url(forResource: "Assets", withExtension: nil))

    init(directory: URL?) {
        var assets = [String: WebAsset]()
        let names = directory.flatMap { try? FileManager.default.contentsOfDirectory(atPath: $0.path) } ?? []
        for name in names where !name.hasPrefix(".") {
            guard let directory, let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) else { continue }
            assets[name] = WebAsset(name: name, data: data)
        }
        self.assets = assets
    }

    /// The URL a page links `name` with; the `?v=` changes with the content.
    func url(_ name: String) -> String {
        Self.prefix + name + (assets[name].map { "?v=" + $0.version } ?? "")
    }

    /// The asset called `name`.
    func asset(_ name: String) -> WebAsset? { assets[name] }

    /// The answer to a request for `name`: the bytes (gzip when accepted), or 304 when the client holds this version.
    func response(_ name: String, request: Request) throws(APIError) -> Response {
        guard let asset = assets[name] else { throw .resourceNotFound }
        var headers = HTTPFields()
        headers[.contentType] = asset.contentType
        headers[.eTag] = asset.etag
        headers[.cacheControl] = "public, max-age=31536000, immutable"
        headers[.vary] = "Accept-Encoding"
        SecurityHeaders.add(to: &headers)
        if let tags = request.headers[.ifNoneMatch], tags.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == asset.etag }) {
            return Response(status: .notModified, headers: headers)
        }
        if let gzipped = asset.gzipped, AcceptEncoding(request.headers[values: .acceptEncoding]) == .acceptsGzip {
            headers[.contentEncoding] = "gzip"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: gzipped))
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: asset.bytes))
    }

    /// Adds `GET /ui/assets/{name}` to `router`.
    func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("ui/assets/{name}") { request, context -> Response in
            try self.response(context.parameters.get("name") ?? "", request: request)
        }
    }
}
