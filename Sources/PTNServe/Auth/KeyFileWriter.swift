import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Replaces a key file atomically with one that is never readable by other users, not even for a moment.
package enum KeyFileWriter {
    /// Why the file could not be written; names the file (the command line reports it to the operator who chose it).
    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    /// Writes `data` to a temporary file created 0600 beside `path`, gives it `mode`, then renames it over `path`.
    package static func write(_ data: Data, to path: String, mode: Int = 0o600) throws(Failure) {
        let target = URL(fileURLWithPath: path)
        let temporary = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString).tmp")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw Failure(description: "cannot write next to \(path) (\(String(cString: strerror(errno))))") }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
        } catch {
            unlink(temporary.path)
            throw Failure(description: "cannot write next to \(path)")
        }
        if mode & 0o777 != 0o600 { chmod(temporary.path, mode_t(mode & 0o777)) }
        guard rename(temporary.path, path) == 0 else {
            unlink(temporary.path)
            throw Failure(description: "cannot replace \(path) (\(String(cString: strerror(errno))))")
        }
    }
}
