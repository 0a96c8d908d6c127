/// A network with a fixed set of weights, as the samplers see it: a velocity field F(x, t, d).
///
/// For a step-conditioned network (a shortcut model) d is the step size; other networks ignore
/// it. For a consistency model F is the inner network of f(x, t) = x + (1 - t) F(x, t).
public final class Model: VelocityField {
    /// The method the weights were trained with (it decides which samplers apply).
    public let method: Method
    /// The network the weights belong to.
    public let network: Network
    /// A copy of the weights, `network.shape.parameterCount` Floats.
    public let parameters: FloatBuffer
    /// The finest step size 1/M, used as d when a step-conditioned network is queried as a plain
    /// velocity field ("shortcut as Euler").
    public let finestStep: Float
    let workspace: Workspace
    let tBuffer: FloatBuffer
    let dBuffer: FloatBuffer

    /// Rows per forward pass: a larger batch is evaluated `chunk` rows at a time in one preallocated workspace,
    /// so a model is not safe to share between threads.
    public static let chunk = 256

    /// A model with a copy of `parameters`, which must hold `shape.parameterCount` values; `finestStep` is
    /// 1/M, the d a step-conditioned network gets when none is given (default 1/128).
    public init(method: Method, shape: NetworkShape, parameters: [Float], finestStep: Float = 1.0 / 128) {
        precondition(parameters.count == shape.parameterCount)
        self.method = method
        network = Network(shape: shape)
        self.parameters = FloatBuffer(parameters)
        self.finestStep = finestStep
        workspace = Workspace(shape: shape, capacity: Self.chunk)
        tBuffer = FloatBuffer(Self.chunk)
        dBuffer = FloatBuffer(Self.chunk)
    }

    /// The EMA weights of a checkpoint (what every sampler uses).
    public convenience init(checkpoint: Checkpoint, useEMA: Bool = true) {
        self.init(method: checkpoint.method, shape: checkpoint.shape,
                  parameters: useEMA ? checkpoint.ema : checkpoint.parameters)
    }

    /// out[rows, 2] = F(x, t, d) with the same t and d for every row (d = nil: the finest step).
    public func velocity(_ x: UnsafePointer<Float>, t: Float, d: Float?, rows: Int, into out: UnsafeMutablePointer<Float>) {
        tBuffer.p.update(repeating: t, count: Self.chunk)
        dBuffer.p.update(repeating: d ?? finestStep, count: Self.chunk)
        forwardInChunks(x, rows: rows, into: out) { _ in UnsafePointer(tBuffer.p) }
    }

    /// out[rows, 2] = F(x_r, t_r) with a time per row (d: the finest step).
    public func velocity(_ x: UnsafePointer<Float>, times: UnsafePointer<Float>, rows: Int, into out: UnsafeMutablePointer<Float>) {
        dBuffer.p.update(repeating: finestStep, count: Self.chunk)
        forwardInChunks(x, rows: rows, into: out) { times + $0 }
    }

    /// The network over `rows` rows, `chunk` at a time; `times(start)` points at the times of the
    /// chunk that starts at row `start`, and `dBuffer` holds its step sizes.
    private func forwardInChunks(
        _ x: UnsafePointer<Float>, rows: Int, into out: UnsafeMutablePointer<Float>,
        times: (Int) -> UnsafePointer<Float>
    ) {
        var start = 0
        while start < rows {
            let n = min(Self.chunk, rows - start)
            network.forward(parameters: parameters.p, x: x + 2 * start, t: times(start), d: dBuffer.p, rows: n, workspace: workspace)
            (out + 2 * start).update(from: workspace.output, count: 2 * n)
            start += n
        }
    }
}
