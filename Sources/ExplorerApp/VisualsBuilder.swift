import FlowCore
import TerminalCanvas

/// Computes `Visuals` from a model: the numeric work behind every view, done off the UI thread
/// (on the training worker) or once (the `render` command).
public struct VisualsBuilder: Sendable {
    /// Data points x1 [N, 2], fixed for a dataset so that pictures change only with the model.
    public let data: [Float]
    /// `data`'s sorted projections for the panels' SW2 (``metric``), made once.
    public let dataReference: SlicedWasserstein.Reference
    /// Noise x0 [N, 2] for the samplers, fixed too.
    public let noise: [Float]
    /// Other noise paired with `data` for the true x_t.
    public let dataNoise: [Float]
    /// Shared world rectangle: the data and [-3, 3]^2 (where the noise lives), padded by 5%.
    public let bounds: PlotBounds
    /// Seed of the consistency sampler's re-noising.
    public let seed: UInt64
    /// The SW2 noise floor of the pictures: the distance from `data` to a second, independent draw
    /// of as many data points (stream 28). A model's SW2 on screen cannot be told from a perfect
    /// one below it.
    public let noiseFloor: Double

    /// Number of fine paths in the trajectories view.
    public static let pathCount = 64
    /// Number of true trajectories in the consistency view.
    public static let consistencyPaths = 6
    /// Number of exact paths drawn over the truth view's heat map.
    public static let truthPaths = 12
    /// Paths of the model's own ODE whose straightness the status bar shows.
    public static let straightnessPaths = 128
    /// The SW2 under the compare and race panels: `eval`'s definition (its directions too).
    public static let metric = SlicedWasserstein()

    /// Draws `count` data points and noise with streams of `seed`.
    public init(dataset: Dataset, count: Int, seed: UInt64) {
        var dataRng = SplitMix64.stream(seed: seed, 21)
        data = dataset.sample(count: count, rng: &dataRng)
        dataReference = Self.metric.reference(data)
        var noiseRng = SplitMix64.stream(seed: seed, 22)
        noise = (0..<(2 * count)).map { _ in noiseRng.gaussian() }
        var pairRng = SplitMix64.stream(seed: seed, 23)
        dataNoise = (0..<(2 * count)).map { _ in pairRng.gaussian() }
        let box: [Float] = [-3, -3, 3, 3]
        bounds =
            PlotBounds.enclosing(data + box, padding: 0.05)
            ?? PlotBounds(xMin: -4, xMax: 4, yMin: -4, yMax: 4)
        self.seed = seed
        var floorRng = SplitMix64.stream(seed: seed, 28)
        noiseFloor = Self.metric.distance(dataset.sample(count: count, rng: &floorRng), to: dataReference)
    }

    /// Runs every sampler the views need at `steps` = K on `model` (its EMA weights). The
    /// consistency, truth and flow-map pictures need `truth` (nil: not ready yet) and are made
    /// only when `extras` asks for them (the heat map runs K steps from 1,600 grid points; the
    /// flow map one network pass per cell over 512 exact paths).
    public func build(
        model: Model, method: Method, steps: Int, iteration: Int, truth: TruthField? = nil, extras: Set<Visuals.Extra> = []
    ) -> Visuals {
        let sampler = method.definition.mainSampler
        var rng = SplitMix64.stream(seed: seed, 24)
        let frames = sampler.run(model: model, noise: noise, steps: steps, trajectory: true, rng: &rng)
        let n = noise.count / 2
        let pathCount = min(Self.pathCount, n)
        let starts = Array(noise.prefix(2 * pathCount))
        let jumps = Self.paths(from: frames, count: pathCount)
        let paths: [[Float]]
        let pathsSource: String
        if !method.definition.hasVelocity {
            let exact = truth?.truth.flow ?? ExactFlow(reference: Array(data.prefix(2 * 1024)))
            paths = Self.paths(from: exact.flow(starts, trajectory: true), count: pathCount)
            pathsSource = "the exact flow of the data (a consistency net has no velocity)"
        } else {
            var unused = SplitMix64(seed: 0)
            paths = Self.paths(
                from: Sampler.euler.run(model: model, noise: starts, steps: 64, trajectory: true, rng: &unused), count: pathCount)
            pathsSource = "the model's PF-ODE (64 Euler steps)"
        }

        var compare: [Visuals.ComparePanel] = []
        for (other, k) in method.definition.comparePair(steps: steps) {
            let points: [Float]
            if other == sampler && k == steps {
                points = frames[frames.count - 1]
            } else {
                var renoise = SplitMix64.stream(seed: seed, 24)
                points = other.sample(model: model, noise: noise, steps: k, rng: &renoise)
            }
            compare.append(
                .init(label: other.label(steps: k), points: points, sw2: Self.metric.distance(points, to: dataReference)))
        }

        // Consistency: the first exact paths of the ground truth, x_t at t = i/16 on each joined to
        // its jump to the end; the error is the ground truth's own (the number eval --truth prints).
        var consistency: Visuals.ConsistencyVisual?
        if let truth, extras.contains(.consistency) {
            let mapped = truth.truth.selfConsistency(model)
            let shown = 2 * Self.consistencyPaths
            consistency = Visuals.ConsistencyVisual(
                paths: Self.paths(from: truth.truth.consistencyFrames, count: Self.consistencyPaths),
                points: mapped.states.flatMap { $0.prefix(shown) }, predictions: mapped.images.flatMap { $0.prefix(shown) },
                error: mapped.error)
        }

        var straightness: Double?
        if method.definition.hasVelocity {
            var unused = SplitMix64(seed: 0)
            let starts = Array(noise.prefix(2 * Self.straightnessPaths))
            straightness = Straightness.of(
                Sampler.euler.run(
                    model: model, noise: starts, steps: TruthEvaluation.straightnessSteps, trajectory: true, rng: &unused))
        }
        var truthVisual: TruthVisual?
        if let truth, extras.contains(.truth) {
            truthVisual = self.truthVisual(truth, model: model, sampler: sampler, steps: steps)
        }
        // The flow map: the model against the exact map on every (s, t) cell of eighths, on the
        // ground truth's 512 paths (36 cells cost about as much as the straightness; `eval --truth`
        // takes the paths of its own noise).
        var flowMap: FlowMapError?
        if let truth, extras.contains(.flowMap) {
            flowMap = truth.truth.flowMapError(model)
        }

        return Visuals(
            iteration: iteration, steps: steps, bounds: bounds, noiseFloor: noiseFloor, data: data, dataNoise: dataNoise,
            sampler: sampler, frames: frames, paths: paths, pathsSource: pathsSource, jumps: jumps,
            compare: compare, consistency: consistency, straightness: straightness, truth: truthVisual, flowMap: flowMap)
    }

    /// The heat map of `sampler`'s jump error at K = `steps` over the truth's grid, on a scale from
    /// 0 to the mean distance the exact flow moves a noise point (`JumpErrorGrid.travel`), or to the
    /// errors' 95th percentile or their mean where that is larger (a model worse than not moving at
    /// all), so the mean is never above the scale.
    public func truthVisual(_ field: TruthField, model: Model, sampler: Sampler, steps: Int) -> TruthVisual {
        let grid = field.grid
        let (values, mean) = grid.errors(of: model, sampler: sampler, steps: steps, seed: seed)
        let finite = values.filter(\.isFinite).sorted()
        let percentile95 = finite.isEmpty ? 0 : finite[(finite.count - 1) * 95 / 100]
        let heat = HeatMap(
            columns: grid.columns, rows: grid.rows,
            bounds: PlotBounds(
                xMin: Double(grid.x.lowerBound), xMax: Double(grid.x.upperBound), yMin: Double(grid.y.lowerBound),
                yMax: Double(grid.y.upperBound)),
            values: values, scale: max(Float(grid.travel), percentile95, Float(mean)))
        let frames = field.truth.consistencyFrames
        return TruthVisual(
            heat: heat, mean: mean, exactPaths: Self.paths(from: frames, count: min(Self.truthPaths, frames[0].count / 2)),
            sampler: sampler, steps: steps, flow: field.truth.flow, method: model.method, shape: model.network.shape,
            parameters: model.parameters.array, velocityStep: model.velocityStep, seed: seed)
    }

    /// Per-point paths (each interleaved x, y over the frames) of the first `count` points.
    static func paths(from frames: [[Float]], count: Int) -> [[Float]] {
        (0..<count).map { i in
            var path: [Float] = []
            path.reserveCapacity(2 * frames.count)
            for frame in frames where 2 * i + 1 < frame.count {
                path.append(frame[2 * i])
                path.append(frame[2 * i + 1])
            }
            return path
        }
    }
}
