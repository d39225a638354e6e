/// A comma-separated query value (`?hotkeys=a,b`): its names, trimmed, without empty ones or repeats. The one reading
/// of lists for the REST filters and the change streams alike.
enum QueryList {
    static func names(_ text: some StringProtocol) -> Set<String> {
        Set(text.split(separator: ",").map { $0.trimmingOptionalWhitespace }.filter { !$0.isEmpty }.map(String.init))
    }
}
