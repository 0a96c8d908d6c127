/// A fixed-size, zero-initialised Float buffer that owns its memory: scratch space for hot loops,
/// indexed through `p` without bounds checks or copy-on-write. It starts on a 64-byte cache line
/// (`FloatBuffer.allocate`).
public final class FloatBuffer {
    /// The first element; `count` elements are valid (at least one is allocated, so `p` is never dangling).
    public let p: UnsafeMutablePointer<Float>
    /// The number of Floats in the buffer.
    public let count: Int

    /// Allocates `count` Floats, all zero.
    public init(_ count: Int) {
        self.count = count
        p = Self.allocate(count)
    }

    /// The alignment of every buffer the kernels read: a 64-byte cache line. With malloc's 16 bytes,
    /// rows of 128 floats start mid-line and every other 32-byte load spans two lines; the
    /// weight-gradient product ran at 60 instead of 78 GFLOP/s on a Zen 3 (docs/recipes.md, "Kernels").
    static let alignment = 64

    /// `count` zeroed Floats (at least one) starting on a cache line; free with ``free(_:)``.
    static func allocate(_ count: Int) -> UnsafeMutablePointer<Float> {
        let n = max(count, 1)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: n * MemoryLayout<Float>.stride, alignment: alignment)
        return raw.initializeMemory(as: Float.self, repeating: 0, count: n)
    }

    /// Frees a pointer from ``allocate(_:)``.
    static func free(_ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).deallocate() }

    /// A buffer holding a copy of `values`.
    public convenience init(_ values: [Float]) {
        self.init(values.count)
        values.withUnsafeBufferPointer { p.update(from: $0.baseAddress!, count: values.count) }
    }

    /// A copy of the contents as an array.
    public var array: [Float] { Array(UnsafeBufferPointer(start: p, count: count)) }

    deinit { Self.free(p) }
}
