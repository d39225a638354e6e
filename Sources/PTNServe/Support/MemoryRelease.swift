#if canImport(Glibc)
import Glibc
#endif

/// Hands memory freed by a reload back to the system.
enum MemoryRelease {
    /// glibc keeps up to tens of megabytes of freed memory at the top of each thread's arena for reuse; after a version's
    /// inflated documents and compression buffers are freed that showed as ~140 MB of resident memory serving nothing.
    static func returnFreedMemory() {
        #if canImport(Glibc)
        _ = mallocTrim?(0)
        #endif
    }

    #if canImport(Glibc)
    /// glibc's `malloc_trim`, looked up at run time: Swift's Glibc module does not import `<malloc.h>`.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    }()
    #endif
}
