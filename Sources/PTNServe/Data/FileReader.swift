import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a whole file into a buffer together with the signature of the version that was read.
enum FileReader {
    /// Why a file could not be read. Carries no path, so it can be logged and reported as is.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Reads the file; the signature comes from the open descriptor, so it describes exactly the bytes returned.
    static func read(path: String) throws(Failure) -> (bytes: ByteBuffer, signature: FileSignature) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(description: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Failure(description: "cannot stat: \(String(cString: strerror(errno)))") }
        let signature = FileSignature(info)
        var buffer = ByteBufferAllocator().buffer(capacity: max(signature.size, 1))
        while true {
            if buffer.writableBytes == 0 { buffer.reserveCapacity(minimumWritableBytes: 1 << 16) }
            var readError: Int32 = 0
            let count = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 0) { target in
                let n = posixRead(fd, target.baseAddress, target.count)
                if n < 0 { readError = errno }
                return max(n, 0)
            }
            if readError == EINTR { continue }
            if readError != 0 { throw Failure(description: "cannot read: \(String(cString: strerror(readError)))") }
            if count == 0 { break }
        }
        return (buffer, signature)
    }
}

/// `read(2)`, named apart from `FileReader.read`, which shadows it inside the type.
private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(fd, buffer, count) }
