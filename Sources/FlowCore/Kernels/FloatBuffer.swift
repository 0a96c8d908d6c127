/// A fixed-size, zero-initialised Float buffer that owns its memory: scratch space for hot loops,
/// indexed through `p` without bounds checks or copy-on-write.
public final class FloatBuffer {
    public let p: UnsafeMutablePointer<Float>
    public let count: Int

    public init(_ count: Int) {
        self.count = count
        p = .allocate(capacity: max(count, 1))
        p.initialize(repeating: 0, count: max(count, 1))
    }

    public convenience init(_ values: [Float]) {
        self.init(values.count)
        values.withUnsafeBufferPointer { p.update(from: $0.baseAddress!, count: values.count) }
    }

    public var array: [Float] { Array(UnsafeBufferPointer(start: p, count: count)) }

    deinit { p.deallocate() }
}
