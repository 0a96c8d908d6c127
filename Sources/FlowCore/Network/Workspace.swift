/// Preallocated activation and scratch buffers for up to `capacity` rows of one network shape,
/// so that a forward or backward pass allocates no buffer (the network's layer widths and offsets
/// are made once too, in `Network.init`). Not thread-safe: one per thread.
public final class Workspace {
    /// The network shape the buffers are sized for.
    public let shape: NetworkShape
    /// The most rows one forward or backward pass may use.
    public let capacity: Int
    /// The network input [capacity, inputWidth]: x, emb(t), emb(d).
    let input: UnsafeMutablePointer<Float>
    /// Per hidden layer l: pre-activation z_l, sigma(z_l) and a_l = silu(z_l), each [capacity, width].
    let z: [UnsafeMutablePointer<Float>]
    let sig: [UnsafeMutablePointer<Float>]
    let act: [UnsafeMutablePointer<Float>]
    /// The network output [capacity, 2].
    public let output: UnsafeMutablePointer<Float>
    /// Two gradient buffers [capacity, max(inputWidth, width)], used in turn by the backward pass.
    let gradA: UnsafeMutablePointer<Float>
    let gradB: UnsafeMutablePointer<Float>
    /// Scratch for a transposed weight matrix, at most [maxWidth, maxWidth].
    let scratch: UnsafeMutablePointer<Float>
    private var allocations: [UnsafeMutablePointer<Float>] = []
    /// Per hidden layer, the last row count its weight-gradient product ran on and the K block
    /// ``KBlocking`` chose for it, so that a training step reads it without taking KBlocking's lock.
    private var weightGradientBlocks: [(rows: Int, block: Int)]

    /// The K block of layer l's weight-gradient product C[fanIn, fanOut] = h^T dz over `rows` rows.
    func weightGradientBlock(layer l: Int, fanIn: Int, rows: Int, fanOut: Int) -> Int {
        if weightGradientBlocks[l].rows != rows {
            weightGradientBlocks[l] = (rows, KBlocking.block(m: fanIn, k: rows, n: fanOut))
        }
        return weightGradientBlocks[l].block
    }

    /// Allocates zeroed buffers for up to `capacity` rows of `shape`, each on a cache line.
    public init(shape: NetworkShape, capacity: Int) {
        self.shape = shape
        self.capacity = capacity
        let maxWidth = max(shape.inputWidth, shape.width)
        var owned: [UnsafeMutablePointer<Float>] = []
        func make(_ count: Int) -> UnsafeMutablePointer<Float> {
            let p = FloatBuffer.allocate(count)
            owned.append(p)
            return p
        }
        input = make(capacity * shape.inputWidth)
        z = (0..<shape.depth).map { _ in make(capacity * shape.width) }
        sig = (0..<shape.depth).map { _ in make(capacity * shape.width) }
        act = (0..<shape.depth).map { _ in make(capacity * shape.width) }
        output = make(capacity * 2)
        gradA = make(capacity * maxWidth)
        gradB = make(capacity * maxWidth)
        scratch = make(maxWidth * maxWidth)
        allocations = owned
        weightGradientBlocks = Array(repeating: (-1, 0), count: shape.depth)
    }

    deinit { for p in allocations { FloatBuffer.free(p) } }
}
