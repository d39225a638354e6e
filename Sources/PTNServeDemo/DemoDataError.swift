/// Why a demo data set could not be generated.
package enum DemoDataError: Error, CustomStringConvertible {
    case missingResource(String)
    case malformedResource(String)
    case tooManyMiners(requested: Int, available: Int)

    package var description: String {
        switch self {
        case .missingResource(let name): "demo resource \(name).json is missing from the bundle"
        case .malformedResource(let name): "demo resource \(name).json does not have the expected shape"
        case .tooManyMiners(let requested, let available): "asked for \(requested) demo miners, only \(available) hotkeys exist"
        }
    }
}
