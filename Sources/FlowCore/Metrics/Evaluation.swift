/// The quality table of `flow-explorer eval`: for every sampler a checkpoint
/// supports and every step count K, SW2 and energy distance of model samples against fresh data,
/// beside the noise floor (the same metrics between two independent data sets).
///
/// Protocol: `samples` model samples from fixed noise against `samples` data points for SW2 (256
/// directions); the first min(2048, samples) of each for the energy distance. Noise, data and
/// re-noising come from independent streams of `seed`.
public struct Evaluation: Sendable {
    /// One line of the table: one sampler at K steps.
    public struct Row: Sendable, Equatable {
        /// The sampler.
        public var sampler: Sampler
        /// K, the number of steps.
        public var steps: Int
        /// Sliced Wasserstein-2 distance from the model samples to the reference data.
        public var sw2: Double
        /// Energy distance (V-statistic) from the first `min(energySamples, samples)` model samples to as many
        /// reference points.
        public var energy: Double
    }

    /// The noise floor of SW2: the distance between two independent data sets of `samples` points.
    public var floorSW2: Double
    /// The noise floor of the energy distance, between the same two data sets.
    public var floorEnergy: Double
    /// One row per sampler and step count: samplers in the order given, then steps in the order given.
    public var rows: [Row]
    /// The same rows' errors against the exact flow, when a ground truth was given.
    public var truth: TruthEvaluation?

    /// The most points per set that enter the energy distance, which costs O(N M).
    public static let energySamples = 2048

    /// Builds the table for `model`.
    ///
    /// - Parameters:
    ///   - model: The model to sample from.
    ///   - dataset: The data the model was trained on: the reference and the noise floor's second set.
    ///   - steps: The step counts K to evaluate, each at least 1.
    ///   - samples: Points per set (model samples, reference data, independent data).
    ///   - seed: Seeds the noise, the data and the re-noising of consistency sampling.
    ///   - samplers: The samplers to run; `nil` runs every sampler of the model's method
    ///     (``MethodDefinition/samplers``).
    ///   - truth: When given, the same samples are also measured against it (``TruthEvaluation``).
    /// - Returns: The noise floor and one row per sampler and step count.
    public static func run(
        model: Model, dataset: Dataset, steps: [Int], samples: Int, seed: UInt64,
        samplers: [Sampler]? = nil, truth: GroundTruth? = nil
    ) -> Evaluation {
        var dataRng = SplitMix64.stream(seed: seed, dataStream)
        let reference = dataset.sample(count: samples, rng: &dataRng)
        let independent = dataset.sample(count: samples, rng: &dataRng)
        let noise = noise(samples: samples, seed: seed)
        let sw = SlicedWasserstein()
        let sorted = sw.reference(reference)
        let m = min(energySamples, samples)
        func energy(_ a: [Float]) -> Double { EnergyDistance.distance(Array(a[0..<(2 * m)]), Array(reference[0..<(2 * m)])) }

        var rows: [Row] = []
        var results: [(sampler: Sampler, steps: Int, points: [Float])] = []
        for sampler in samplers ?? model.method.definition.samplers {
            for k in steps {
                var rng = SplitMix64.stream(seed: seed, renoiseStream)
                let x = sampler.sample(model: model, noise: noise, steps: k, rng: &rng)
                rows.append(Row(sampler: sampler, steps: k, sw2: sw.distance(x, to: sorted), energy: energy(x)))
                if truth != nil { results.append((sampler, k, x)) }
            }
        }
        return Evaluation(
            floorSW2: sw.distance(independent, to: sorted), floorEnergy: energy(independent), rows: rows,
            truth: truth.map {
                TruthEvaluation.run(model: model, truth: $0, dataset: dataset, noise: noise, results: results, seed: seed)
            })
    }

    /// The stream of `seed` the reference data come from (then the independent set of the floor).
    public static let dataStream: UInt64 = 10
    /// The stream of `seed` the evaluation noise comes from.
    public static let noiseStream: UInt64 = 11
    /// The stream of `seed` that re-noises consistency sampling, afresh for every row.
    public static let renoiseStream: UInt64 = 12

    /// The evaluation noise x0 [samples, 2] (``noiseStream`` of `seed`): the starts of every row.
    public static func noise(samples: Int, seed: UInt64) -> [Float] {
        var rng = SplitMix64.stream(seed: seed, noiseStream)
        return (0..<(2 * samples)).map { _ in rng.gaussian() }
    }

    /// The reference data [samples, 2] of `eval --seed seed`: the set every row is measured against.
    public static func reference(dataset: Dataset, samples: Int, seed: UInt64) -> [Float] {
        var rng = SplitMix64.stream(seed: seed, dataStream)
        return dataset.sample(count: samples, rng: &rng)
    }

    /// The SW2 of a sampler at K steps, if evaluated.
    public func sw2(_ sampler: Sampler, steps: Int) -> Double? {
        rows.first { $0.sampler == sampler && $0.steps == steps }?.sw2
    }
}
