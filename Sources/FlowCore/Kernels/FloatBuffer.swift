/// A fixed-size, zero-initialised Float buffer that owns its memory: scratch space for hot loops,
/// indexed through `p` without bounds checks or copy-on-write.
public final class FloatBuffer {
    /// The first element; `count` elements are valid (at least one is allocated, so `p` is never dangling).
    public let p: UnsafeMutablePointer<Float>
    /// The number of Floats in the buffer.
    public let count: Int

    /// Allocates `count` Floats, all zero.
    public init(_ count: Int) {
        self.count = count
        p = .allocate(capacity: max(count, 1))
        p.initialize(repeating: 0, count: max(count, 1))
    }

    /// A buffer holding a copy of `values`.
    public convenience init(_ values: [Float]) {
        self.init(values.count)
        values.withUnsafeBufferPointer { p.update(from: $0.baseAddress!, count: values.count) }
    }

    /// A copy of the contents as an array.
    public var array: [Float] { Array(UnsafeBufferPointer(start: p, count: count)) }

    deinit { p.deallocate() }
}
