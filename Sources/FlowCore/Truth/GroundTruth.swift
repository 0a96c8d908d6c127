/// What a model is measured against, for one data set and seed (docs/architecture.md, "The ground truth"): the exact
/// flow of a fixed data sample, and exact paths on which the self-consistency error is defined.
/// `eval --truth` and the UI build it the same way, so they print the same numbers.
///
/// Building it integrates 512 exact paths (about half a second on one core for 4,096 data points); it
/// depends on no model, so build it once per data set and keep it.
public final class GroundTruth: Sendable {
    /// The exact flow of `ExactFlow.defaultReferenceCount` data points (stream 25 of the seed).
    public let flow: ExactFlow
    /// The states of `paths` exact paths at t = i / `points`, i = 0...points ([paths, 2] each),
    /// from noise of stream 13 of the seed.
    public let consistencyFrames: [[Float]]
    /// The same paths' states at t = i / ``FlowMapError/divisions-type.property``, i = 0...divisions (every
    /// other of `consistencyFrames` for eighths): the starts and exact ends of the flow-map error.
    public let flowMapFrames: [[Float]]

    /// Exact paths on which the self-consistency error is measured.
    public static let paths = 512
    /// Times per path at which x_t is mapped to the end: t = 0, 1/16, ..., 15/16.
    public static let points = 16
    /// RK4 steps of the exact flow between two of those times.
    public static let stepsPerPoint = 4

    /// The truth of `dataset` for `seed`.
    public init(dataset: Dataset, seed: UInt64, referenceCount: Int = ExactFlow.defaultReferenceCount) {
        flow = ExactFlow(dataset: dataset, count: referenceCount, seed: seed)
        var rng = SplitMix64.stream(seed: seed, 13)
        let noise = (0..<(2 * Self.paths)).map { _ in rng.gaussian() }
        let frames = Self.states(of: flow, from: noise, points: Self.points)
        consistencyFrames = frames
        let stride = Self.points / FlowMapError.divisions
        flowMapFrames = (0...FlowMapError.divisions).map { frames[$0 * stride] }
    }

    /// The states of the exact paths from `noise` [N, 2] at t = i / `points`, i = 0...points.
    public static func states(of flow: ExactFlow, from noise: [Float], points: Int) -> [[Float]] {
        var frames = [noise]
        for i in 0..<points {
            let s = Float(i) / Float(points)
            let t = Float(i + 1) / Float(points)
            frames.append(flow.flow(frames[i], from: s, to: t, steps: stepsPerPoint)[0])
        }
        return frames
    }

    /// The self-consistency error of `model` (``SelfConsistency``) along the exact paths: the
    /// mean |jump(x_t, t) - x_1| over 512 paths and t = 0, 1/16, ..., 15/16.
    public func selfConsistency(_ model: some VelocityField) -> SelfConsistency.Result {
        SelfConsistency.evaluate(model: model, frames: consistencyFrames, points: Self.points)
    }

    /// The flow-map error of `map` (``FlowMapError``) on the first `paths` exact paths (at most
    /// ``paths``): 36 cells for a model with a map between any two times of the eighths.
    public func flowMapError(_ map: some FlowMapping, paths: Int = GroundTruth.paths) -> FlowMapError {
        let rows = min(max(1, paths), Self.paths)
        return FlowMapError.evaluate(map, frames: flowMapFrames.map { Array($0.prefix(2 * rows)) })
    }
}
