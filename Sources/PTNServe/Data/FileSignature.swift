#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What identifies one version of a file on disk: a rename gives a new inode, an in-place write a new size or mtime.
struct FileSignature: Hashable, Sendable {
    let device: UInt64
    let inode: UInt64
    let size: Int
    /// Modification time in nanoseconds since the epoch.
    let modified: Int64

    init(_ info: stat) {
        self.device = UInt64(info.st_dev)
        self.inode = UInt64(info.st_ino)
        self.size = Int(info.st_size)
        #if canImport(Darwin)
        self.modified = Int64(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(info.st_mtimespec.tv_nsec)
        #else
        self.modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        #endif
    }

    /// The signature of the regular file at `path`, or nil when there is none (missing, a folder, no permission to stat).
    static func of(path: String) -> FileSignature? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return FileSignature(info)
    }

    /// Modification time in seconds since the epoch.
    var modifiedSeconds: Double { Double(modified) / 1e9 }
}
