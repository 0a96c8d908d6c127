import FlowCore

/// What the truth view's probe shows for one starting point x0: the exact path X*(x0, 0, t), the
/// sampler's K states from x0, both ends and the distance between them.
public struct ProbeReading: Sendable, Equatable {
    /// The probe point x0.
    public var start: SIMD2<Float>
    /// The exact path [x, y, ...] on the exact flow's RK4 grid.
    public var exactPath: [Float]
    /// The sampler's K + 1 states [x, y, ...] from x0.
    public var jumps: [Float]
    /// X*(x0, 0, 1).
    public var exactEnd: SIMD2<Float>
    /// The sampler's end.
    public var modelEnd: SIMD2<Float>
    /// |modelEnd - exactEnd|.
    public var error: Float

    /// Runs the exact flow and `truth`'s sampler from `start`.
    public init(truth: TruthVisual, start: SIMD2<Float>) {
        self.start = start
        let x0: [Float] = [start.x, start.y]
        exactPath = truth.flow.flow(x0, trajectory: true).flatMap { $0 }
        var rng = SplitMix64.stream(seed: truth.seed, 24)
        jumps = truth.sampler.run(model: truth.model(), noise: x0, steps: truth.steps, trajectory: true, rng: &rng)
            .flatMap { $0 }
        exactEnd = SIMD2(exactPath[exactPath.count - 2], exactPath[exactPath.count - 1])
        modelEnd = SIMD2(jumps[jumps.count - 2], jumps[jumps.count - 1])
        let d = modelEnd - exactEnd
        error = (d * d).sum().squareRoot()
    }
}
