/// Size caps every request is held to; beyond them the server answers 413, 414 or 431 instead of buffering.
enum RequestLimits {
    /// Largest request body accepted (the key body is the only body read).
    static let maxBodyBytes = 64 * 1024
    /// Longest request target (path and query). The longest real route is a 48-character hotkey.
    static let maxURLBytes = 8 * 1024
    /// Most bytes of header names and values together.
    static let maxHeaderBytes = 16 * 1024
    /// NIO's parser refuses anything beyond this outright (400, connection closed) so it never buffers more; between the
    /// caps above and this, clients get the clear 414 / 431 JSON answers.
    static let parserHeaderLimit = 64 * 1024
}
