/// A network with a fixed set of weights, as the samplers see it: a velocity field F(x, t, d).
///
/// For a step-conditioned network (a shortcut model, MeanFlow) d is the step size or interval;
/// other networks ignore it. For a consistency model F is the inner network of
/// f(x, t) = x + (1 - t) F(x, t).
public final class Model: VelocityField {
    /// The method the weights were trained with (it decides which samplers apply).
    public let method: Method
    /// The network the weights belong to.
    public let network: Network
    /// A copy of the weights, `network.shape.parameterCount` Floats.
    public let parameters: FloatBuffer
    /// The d at which a step-conditioned network is queried as a plain velocity field: the finest
    /// step size 1/M of a shortcut model ("shortcut as Euler"), 0 for MeanFlow
    /// (``MethodDefinition/velocityStep(_:)``).
    public let velocityStep: Float
    let workspace: Workspace
    let tBuffer: FloatBuffer
    let dBuffer: FloatBuffer

    /// Rows per forward pass: a larger batch is evaluated `chunk` rows at a time in one preallocated workspace,
    /// so a model is not safe to share between threads.
    public static let chunk = 256

    /// A model of `method` with a copy of `parameters`, which must hold `shape.parameterCount` values.
    public init(method: Method, shape: NetworkShape, parameters: [Float], velocityStep: Float) {
        precondition(parameters.count == shape.parameterCount)
        self.method = method
        network = Network(shape: shape)
        self.parameters = FloatBuffer(parameters)
        self.velocityStep = velocityStep
        workspace = Workspace(shape: shape, capacity: Self.chunk)
        tBuffer = FloatBuffer(Self.chunk)
        dBuffer = FloatBuffer(Self.chunk)
    }

    /// A model of the default settings of `method` (its velocity step) with these weights.
    public convenience init(method: Method, shape: NetworkShape, parameters: [Float]) {
        self.init(
            method: method, shape: shape, parameters: parameters,
            velocityStep: method.definition.velocityStep(TrainingConfig(method: method)))
    }

    /// The EMA weights of a checkpoint (what every sampler uses), with the settings sampling needs
    /// read from its metadata (`Checkpoint.decode` has checked them).
    public convenience init(checkpoint: Checkpoint, useEMA: Bool = true) {
        let config = (try? TrainingConfig(checkpoint: checkpoint)) ?? TrainingConfig(method: checkpoint.method)
        self.init(
            method: checkpoint.method, shape: checkpoint.shape, parameters: useEMA ? checkpoint.ema : checkpoint.parameters,
            velocityStep: checkpoint.method.definition.velocityStep(config))
    }

    /// The model a trainer's EMA weights make now (`useEMA` false: its live weights, the ones
    /// the optimiser moves, which a single step visibly changes).
    public convenience init(trainer: Trainer, useEMA: Bool = true) {
        self.init(
            method: trainer.config.method, shape: trainer.config.shape, parameters: useEMA ? trainer.ema : trainer.parameters,
            velocityStep: trainer.config.method.definition.velocityStep(trainer.config))
    }

    /// out[rows, 2] = F(x, t, d) with the same t and d for every row (d = nil: the velocity step).
    public func velocity(_ x: UnsafePointer<Float>, t: Float, d: Float?, rows: Int, into out: UnsafeMutablePointer<Float>) {
        tBuffer.p.update(repeating: t, count: Self.chunk)
        dBuffer.p.update(repeating: d ?? velocityStep, count: Self.chunk)
        forwardInChunks(x, rows: rows, into: out) { _ in UnsafePointer(tBuffer.p) }
    }

    /// out[rows, 2] = F(x_r, t_r) with a time per row (d: the velocity step).
    public func velocity(_ x: UnsafePointer<Float>, times: UnsafePointer<Float>, rows: Int, into out: UnsafeMutablePointer<Float>)
    {
        dBuffer.p.update(repeating: velocityStep, count: Self.chunk)
        forwardInChunks(x, rows: rows, into: out) { times + $0 }
    }

    /// Where one jump from (x, t) lands at t = 1, the map the consistency view draws
    /// (``MethodDefinition/jumpToEnd``): x + (1 - t) F(x, t, d), with d = 1 - t for a network
    /// that jumps over intervals and the velocity step otherwise. For a consistency model this is
    /// f(x, t); for flow matching one Euler step to the end.
    public func jumpToEnd(_ x: UnsafePointer<Float>, t: Float, rows: Int, into out: UnsafeMutablePointer<Float>) {
        map(x, from: t, to: 1, rows: rows, into: out)
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
            network.forward(
                parameters: parameters.p, x: x + 2 * start, t: times(start), d: dBuffer.p, rows: n, workspace: workspace)
            (out + 2 * start).update(from: workspace.output, count: 2 * n)
            start += n
        }
    }
}

extension Model: FlowMapping {
    /// Whether the network maps from s to t (s < t): a consistency model only to t = 1, where its
    /// X(x, s, 1) is f(x, s); every other network between any two times.
    public func hasFlowMap(from s: Float, to t: Float) -> Bool {
        s < t && (method.definition.jumpToEnd != .consistencyFunction || t == 1)
    }

    /// The model's flow map X(x, s, t), out[rows, 2], by its method's ``MethodDefinition/jumpToEnd``:
    /// - `.interval` (shortcut, MeanFlow and the other interval networks): x + (t - s) F(x, s, t - s);
    /// - `.eulerStep` (a velocity): one Euler step x + (t - s) v(x, s);
    /// - `.consistencyFunction`: f(x, s) = x + (1 - s) F(x, s), only for t = 1.
    ///
    /// At t = 1 this is ``Model/jumpToEnd(_:t:rows:into:)`` from s.
    public func flowMap(_ x: UnsafePointer<Float>, from s: Float, to t: Float, rows: Int, into out: UnsafeMutablePointer<Float>) {
        precondition(hasFlowMap(from: s, to: t), "no flow map from \(s) to \(t) for \(method.rawValue)")
        map(x, from: s, to: t, rows: rows, into: out)
    }

    /// The flow map without its check (``jumpToEnd(_:t:rows:into:)`` takes it to t = 1 from any t).
    private func map(_ x: UnsafePointer<Float>, from s: Float, to t: Float, rows: Int, into out: UnsafeMutablePointer<Float>) {
        switch method.definition.jumpToEnd {
        case .consistencyFunction:
            consistency(x, t: s, rows: rows, into: out)
            return
        case .interval:
            velocity(x, t: s, d: t - s, rows: rows, into: out)
        case .eulerStep:
            velocity(x, t: s, d: nil, rows: rows, into: out)
        }
        let h = t - s
        for i in 0..<(2 * rows) { out[i] = x[i] + h * out[i] }
    }
}
