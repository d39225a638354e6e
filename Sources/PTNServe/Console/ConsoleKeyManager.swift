import Foundation
import Logging
import NIOPosix
import Synchronization

/// Applies the console's key changes to the key file with `KeyFileEditor` (the code behind `ptn-serve keys`), on NIO's
/// blocking pool and one at a time; the running server's key watcher then puts the file in force. Answers and log
/// lines name the alias only: never the key file's path, never the key (returned once, to the caller).
final class ConsoleKeyManager: Sendable {
    let editor: KeyFileEditor
    let threadPool: NIOThreadPool
    let logger: Logger
    /// One edit at a time: each is a read-modify-write of the whole file.
    private let editing = Mutex(())

    init(keyFilePath: String, threadPool: NIOThreadPool = .singleton, logger: Logger) {
        self.editor = KeyFileEditor(path: keyFilePath)
        self.threadPool = threadPool
        self.logger = logger
    }

    /// Applies `change`; for an added key, returns the key.
    func apply(_ change: ConsoleKeyChange) async throws(APIError) -> String? {
        let result: Result<String?, KeyFileEditor.Failure>
        do {
            result = try await threadPool.runIfActive { [self] in
                editing.withLock { _ in
                    Result { () throws(KeyFileEditor.Failure) -> String? in
                        switch change {
                        case .add(let alias, let tier, let rate): return try editor.add(alias: alias, tier: tier, rate: rate, plain: false)
                        case .change(let alias, let tier, let rate): try editor.change(alias: alias, tier: tier, rate: rate)
                        case .revoke(let alias): try editor.revoke(alias: alias)
                        }
                        return nil
                    }
                }
            }
        } catch {
            throw .internalError
        }
        switch result {
        case .success(let key):
            logger.notice("key file changed from the console", metadata: ["change": "\(Self.verb(change))", "alias": "\(Self.alias(change))"])
            return key
        case .failure(let failure):
            throw Self.apiError(failure, change: change, logger: logger)
        }
    }

    private static func apiError(_ failure: KeyFileEditor.Failure, change: ConsoleKeyChange, logger: Logger) -> APIError {
        let alias = Self.alias(change)
        switch failure.kind {
        case .invalid: return .badRequest("the alias must not be empty")
        case .exists: return .conflict("a key named \"\(alias)\" already exists; revoke it first or pick another name")
        case .unknownAlias: return .notFound("no key named \"\(alias)\" in the key file")
        case .unreadable, .unwritable:
            // The editor's message names the file: the log says what happened without it.
            logger.error("console key change failed: the key file could not be read or written", metadata: ["alias": "\(alias)"])
            return .internalError
        }
    }

    private static func alias(_ change: ConsoleKeyChange) -> String {
        switch change {
        case .add(let alias, _, _), .change(let alias, _, _), .revoke(let alias): alias
        }
    }

    private static func verb(_ change: ConsoleKeyChange) -> String {
        switch change {
        case .add: "add"
        case .change: "change"
        case .revoke: "revoke"
        }
    }
}
