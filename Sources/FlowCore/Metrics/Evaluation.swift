/// The quality table of `flow-explorer eval` (DESIGN.md section 6): for every sampler a checkpoint
/// supports and every step count K, SW2 and energy distance of model samples against fresh data,
/// beside the noise floor (the same metrics between two independent data sets).
///
/// Protocol: `samples` model samples from fixed noise against `samples` data points for SW2 (256
/// directions); the first min(2048, samples) of each for the energy distance. Noise, data and
/// re-noising come from independent streams of `seed`.
public struct Evaluation: Sendable {
    public struct Row: Sendable, Equatable {
        public var sampler: Sampler
        public var steps: Int
        public var sw2: Double
        public var energy: Double
    }

    public var floorSW2: Double
    public var floorEnergy: Double
    public var rows: [Row]

    public static let energySamples = 2048

    public static func run(model: Model, dataset: Dataset, steps: [Int], samples: Int, seed: UInt64,
                           samplers: [Sampler]? = nil) -> Evaluation {
        var dataRng = SplitMix64.stream(seed: seed, 10)
        let reference = dataset.sample(count: samples, rng: &dataRng)
        let independent = dataset.sample(count: samples, rng: &dataRng)
        var noiseRng = SplitMix64.stream(seed: seed, 11)
        let noise = (0..<(2 * samples)).map { _ in noiseRng.gaussian() }
        let sw = SlicedWasserstein()
        let m = min(energySamples, samples)
        func energy(_ a: [Float]) -> Double { EnergyDistance.distance(Array(a[0..<(2 * m)]), Array(reference[0..<(2 * m)])) }

        var rows: [Row] = []
        for sampler in samplers ?? model.method.definition.samplers {
            for k in steps {
                var rng = SplitMix64.stream(seed: seed, 12)
                let x = sampler.sample(model: model, noise: noise, steps: k, rng: &rng)
                rows.append(Row(sampler: sampler, steps: k, sw2: sw.distance(x, reference), energy: energy(x)))
            }
        }
        return Evaluation(floorSW2: sw.distance(independent, reference), floorEnergy: energy(independent), rows: rows)
    }

    /// The SW2 of a sampler at K steps, if evaluated.
    public func sw2(_ sampler: Sampler, steps: Int) -> Double? {
        rows.first { $0.sampler == sampler && $0.steps == steps }?.sw2
    }
}
