import FlowCore
import TerminalCanvas

/// Computes `Visuals` from a model: the numeric work behind every view, done off the UI thread
/// (on the training worker) or once (the `render` command).
public struct VisualsBuilder: Sendable {
    /// Data points x1 [N, 2], fixed for a dataset so that pictures change only with the model.
    public let data: [Float]
    /// Noise x0 [N, 2] for the samplers, fixed too.
    public let noise: [Float]
    /// Other noise paired with `data` for the true x_t.
    public let dataNoise: [Float]
    /// Shared world rectangle: the data and [-3, 3]^2 (where the noise lives), padded by 5%.
    public let bounds: PlotBounds
    /// Seed of the consistency sampler's re-noising.
    public let seed: UInt64

    /// Number of fine paths in the trajectories view.
    public static let pathCount = 64
    /// Number of true trajectories in the consistency view.
    public static let consistencyPaths = 6

    /// Draws `count` data points and noise with streams of `seed`.
    public init(dataset: Dataset, count: Int, seed: UInt64) {
        var dataRng = SplitMix64.stream(seed: seed, 21)
        data = dataset.sample(count: count, rng: &dataRng)
        var noiseRng = SplitMix64.stream(seed: seed, 22)
        noise = (0..<(2 * count)).map { _ in noiseRng.gaussian() }
        var pairRng = SplitMix64.stream(seed: seed, 23)
        dataNoise = (0..<(2 * count)).map { _ in pairRng.gaussian() }
        let box: [Float] = [-3, -3, 3, 3]
        bounds =
            PlotBounds.enclosing(data + box, padding: 0.05)
            ?? PlotBounds(xMin: -4, xMax: 4, yMin: -4, yMax: 4)
        self.seed = seed
    }

    /// Runs every sampler the views need at `steps` = K on `model` (its EMA weights).
    public func build(model: Model, method: Method, steps: Int, iteration: Int) -> Visuals {
        let sampler = method.definition.mainSampler
        var rng = SplitMix64.stream(seed: seed, 24)
        let frames = sampler.run(model: model, noise: noise, steps: steps, trajectory: true, rng: &rng)
        let n = noise.count / 2
        let pathCount = min(Self.pathCount, n)
        let starts = Array(noise.prefix(2 * pathCount))
        let jumps = Self.paths(from: frames, count: pathCount)
        let paths: [[Float]]
        let pathsSource: String
        let reference = Array(data.prefix(2 * 512))
        let exact = EmpiricalFlow(reference: reference)
        if method.definition.jumpToEnd == .consistencyFunction {
            var unused = SplitMix64(seed: 0)
            paths = Self.paths(
                from: Sampler.rk4.run(model: exact, noise: starts, steps: 32, trajectory: true, rng: &unused), count: pathCount)
            pathsSource = "exact PF-ODE of the data (a consistency net has no velocity)"
        } else {
            var unused = SplitMix64(seed: 0)
            paths = Self.paths(
                from: Sampler.euler.run(model: model, noise: starts, steps: 64, trajectory: true, rng: &unused), count: pathCount)
            pathsSource = "the model's PF-ODE (64 Euler steps)"
        }

        let metric = SlicedWasserstein(directionCount: 64)
        var compare: [Visuals.ComparePanel] = []
        for (other, k) in method.definition.comparePair(steps: steps) {
            let points: [Float]
            if other == sampler && k == steps {
                points = frames[frames.count - 1]
            } else {
                var renoise = SplitMix64.stream(seed: seed, 24)
                points = other.sample(model: model, noise: noise, steps: k, rng: &renoise)
            }
            compare.append(.init(label: "\(other.name) K=\(k)", points: points, sw2: metric.distance(points, data)))
        }

        // Consistency: x_t on exact paths at t = i/8, joined to f(x_t, t). The starts follow the
        // trajectory view's when there is noise enough, else they are the last m noise points.
        let m = min(Self.consistencyPaths, n)
        let first = min(pathCount, n - m)
        let cStarts = Array(noise[(2 * first)..<(2 * (first + m))])
        var unused = SplitMix64(seed: 0)
        let cFrames = Sampler.rk4.run(model: exact, noise: cStarts, steps: 32, trajectory: true, rng: &unused)
        let cPaths = Self.paths(from: cFrames, count: cStarts.count / 2)
        let mapped = SelfConsistency.evaluate(model: model, frames: cFrames, points: 8)
        let consistency = Visuals.ConsistencyVisual(
            paths: cPaths, points: mapped.states.flatMap { $0 }, predictions: mapped.images.flatMap { $0 },
            error: mapped.error)

        return Visuals(
            iteration: iteration, steps: steps, bounds: bounds, data: data, dataNoise: dataNoise,
            sampler: sampler, frames: frames, paths: paths, pathsSource: pathsSource, jumps: jumps,
            compare: compare, consistency: consistency)
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
