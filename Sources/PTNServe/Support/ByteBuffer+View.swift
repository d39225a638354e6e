import NIOCore

extension ByteBuffer {
    /// The `length` bytes at `offset` (from the reader index) as a buffer sharing this one's storage.
    ///
    /// Unlike `getSlice`, it never copies: NIO stores a slice's start in 24 bits, so a slice starting beyond 16 MiB of
    /// its storage is a copy. That made most miners of a 60 MB output.json private copies of their bytes (memory, and no
    /// zero-copy sends), and a range request deep into the checkpoint copied the rest of it on every request. A view
    /// only moves the reader and writer indices, which reach 4 GiB.
    func view(at offset: Int, length: Int) -> ByteBuffer? {
        guard offset >= 0, length >= 0, offset + length <= readableBytes else { return nil }
        var view = self
        view.moveWriterIndex(to: readerIndex + offset + length)
        view.moveReaderIndex(forwardBy: offset)
        return view
    }
}
