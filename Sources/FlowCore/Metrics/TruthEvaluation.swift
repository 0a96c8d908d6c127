/// A model's errors against the exact flow of its data (`eval --truth`; docs/architecture.md, "The ground truth"),
/// where the cloud-to-cloud distances of ``Evaluation`` cannot say where a sampler goes wrong:
///
/// - the jump error of each sampler at K steps: mean |X_theta(x0) - X*(x0, 0, 1)| over the
///   evaluation noise, X_theta being the sampler's K-step result from the same x0;
/// - the velocity error E |v_theta(x_t, t) - v*(x_t, t)|^2 along the flow-matching path
///   x_t = (1 - t) x0 + t x1 with t on 16 equal parts of [0, 0.9] (near t = 1 the exact field of a
///   finite sample only points at its nearest sample point);
/// - the straightness S of the model's own ODE paths (128 Euler steps of its velocity) and of the
///   exact flow's, from the same noise (``Straightness``);
/// - the self-consistency error along the exact paths (``GroundTruth/selfConsistency(_:)``);
/// - the flow-map error on the triangle of (s, t) cells of eighths, s < t (``FlowMapError``),
///   along the exact paths of the evaluation noise, integrated an eighth at a time: its (0, 1)
///   cell is the K = 1 row's jump error of the main sampler up to that integration grid (the
///   UI's flow-map view measures the same cells on the ground truth's 512 paths,
///   ``GroundTruth/flowMapError(_:paths:)``).
///
/// The velocity error and the model's S need a velocity: they are nil for a consistency model.
public struct TruthEvaluation: Sendable {
    /// One sampler at K steps.
    public struct Row: Sendable, Equatable {
        /// The sampler.
        public var sampler: Sampler
        /// K, the number of steps.
        public var steps: Int
        /// Mean |X_theta(x0) - X*(x0, 0, 1)|.
        public var jumpError: Double
    }

    /// One row per sampler and step count, in the order given.
    public var rows: [Row]
    /// E |v_theta - v*|^2 along the flow-matching path, or nil without a velocity.
    public var velocityError: Double?
    /// S of the model's 128-step Euler paths, or nil without a velocity.
    public var straightness: Double?
    /// S of the exact flow's paths from the same noise.
    public var exactStraightness: Double
    /// The self-consistency error along the exact paths.
    public var selfConsistency: Double
    /// The flow-map error per (s, t) cell along the exact paths (a consistency model: t = 1 only).
    public var flowMap: FlowMapError

    /// Euler steps of the model's own paths for its straightness.
    public static let straightnessSteps = 128
    /// The velocity error's times: `velocityTimes` midpoints of equal parts of [0, `velocityHorizon`].
    public static let velocityTimes = 16
    /// The last time of the velocity error.
    public static let velocityHorizon: Float = 0.9

    /// Measures `model` against `truth` (``Evaluation/run(model:dataset:steps:samples:seed:samplers:truth:)``
    /// calls it with its own noise and samples): `results` are the samplers' K-step results from `noise`.
    static func run(
        model: Model, truth: GroundTruth, dataset: Dataset, noise: [Float],
        results: [(sampler: Sampler, steps: Int, points: [Float])], seed: UInt64
    ) -> TruthEvaluation {
        let exact = truth.flow.flow(noise, trajectory: true)
        let ends = exact[exact.count - 1]
        let rows = results.map { Row(sampler: $0.sampler, steps: $0.steps, jumpError: meanDistance($0.points, ends)) }
        let hasVelocity = model.method.definition.hasVelocity
        var straightness: Double?
        if hasVelocity {
            var unused = SplitMix64(seed: 0)
            straightness = Straightness.of(
                Sampler.euler.run(model: model, noise: noise, steps: straightnessSteps, trajectory: true, rng: &unused))
        }
        return TruthEvaluation(
            rows: rows,
            velocityError: hasVelocity
                ? velocityError(model, truth.flow, dataset: dataset, samples: noise.count / 2, seed: seed) : nil,
            straightness: straightness,
            exactStraightness: Straightness.of(exact, times: ExactFlow.times(from: 0, to: 1, steps: exact.count - 1)),
            selfConsistency: truth.selfConsistency(model).error,
            flowMap: FlowMapError.evaluate(
                model, frames: GroundTruth.states(of: truth.flow, from: noise, points: FlowMapError.divisions)))
    }

    /// E |v_theta(x_t, t) - v*(x_t, t)|^2 over `samples` rows (data of stream 26, noise of stream
    /// 27 of `seed`), an equal share at each of the `velocityTimes` times.
    public static func velocityError(
        _ model: some VelocityField, _ flow: ExactFlow, dataset: Dataset, samples: Int, seed: UInt64
    ) -> Double {
        var dataRng = SplitMix64.stream(seed: seed, 26)
        var noiseRng = SplitMix64.stream(seed: seed, 27)
        let rows = max(1, samples / velocityTimes)
        var total = 0.0
        for k in 0..<velocityTimes {
            let t = velocityHorizon * (Float(k) + 0.5) / Float(velocityTimes)
            let x1 = dataset.sample(count: rows, rng: &dataRng)
            let xt = x1.map { t * $0 + (1 - t) * noiseRng.gaussian() }
            var learned = [Float](repeating: 0, count: 2 * rows)
            var exact = [Float](repeating: 0, count: 2 * rows)
            model.velocity(xt, t: t, d: nil, rows: rows, into: &learned)
            flow.velocity(xt, t: t, d: nil, rows: rows, into: &exact)
            for i in 0..<(2 * rows) {
                let e = Double(learned[i] - exact[i])
                total += e * e
            }
        }
        return total / Double(rows * velocityTimes)
    }

    /// The jump error of a sampler at K steps, if measured.
    public func jumpError(_ sampler: Sampler, steps: Int) -> Double? {
        rows.first { $0.sampler == sampler && $0.steps == steps }?.jumpError
    }
}
