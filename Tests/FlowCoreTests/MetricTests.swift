import Testing

@testable import FlowCore

@Suite struct MetricTests {
    func gaussianCloud(_ n: Int, seed: UInt64) -> [Float] {
        var rng = SplitMix64(seed: seed)
        return (0..<(2 * n)).map { _ in rng.gaussian() }
    }

    @Test func aSetIsAtDistanceZeroFromItself() {
        let a = gaussianCloud(1000, seed: 1)
        #expect(SlicedWasserstein().distance(a, a) == 0)
        #expect(abs(EnergyDistance.distance(a, a)) < 1e-9)
    }

    /// For a copy shifted by s, every projection shifts by s.u, so SW2^2 = mean (s.u)^2, which is
    /// |s|^2 / 2 for directions spread evenly on the circle; the energy distance grows with |s|.
    @Test func aShiftedCopyIsAtTheShiftOverRootTwo() {
        let a = gaussianCloud(1000, seed: 2)
        var previousEnergy = 0.0
        for shift: Float in [0.1, 0.5, 1, 2] {
            let b = (0..<a.count).map { a[$0] + ($0 % 2 == 0 ? shift * 0.6 : shift * 0.8) }
            let sw2 = SlicedWasserstein().distance(a, b)
            #expect(abs(sw2 - Double(shift) / 2.0.squareRoot()) < 0.05 * Double(shift), "shift \(shift): SW2 \(sw2)")
            let energy = EnergyDistance.distance(a, b)
            #expect(energy > previousEnergy)
            previousEnergy = energy
        }
    }

    @Test func theNoiseFloorIsSmallAndBelowAVisibleShift() {
        let a = gaussianCloud(4096, seed: 3)
        let b = gaussianCloud(4096, seed: 4)
        let floor = SlicedWasserstein().distance(a, b)
        #expect(floor > 0 && floor < 0.06)
        let shifted = b.map { $0 + 0.3 }
        #expect(SlicedWasserstein().distance(a, shifted) > 4 * floor)
    }

    @Test func directionsAreUnitVectorsFromAFixedSeed() {
        let d = SlicedWasserstein().directions
        #expect(d.count == 512)
        for k in 0..<256 { #expect(abs(d[2 * k] * d[2 * k] + d[2 * k + 1] * d[2 * k + 1] - 1) < 1e-5) }
        #expect(d == SlicedWasserstein().directions)
    }
}

/// Time to quality's evaluation draws: draw 0 is the single-draw run's and `eval`'s, and D draws
/// report the mean of D independent SW2 (each its own data and noise), here checked at iteration 0, where the
/// model is the seeded initial network.
@Suite struct TimeToQualityDrawsTests {
    /// A small open-ended run of `method` (width 16, one thread) and a measure of 256 points per
    /// draw over `budget` iterations.
    func smallRun(_ method: Method, budget: Int) -> (TrainingConfig, TimeToQuality) {
        var config = TrainingConfig(method: method)
        config.width = 16
        config.threads = 1
        config.makeOpenEnded()
        var measure = TimeToQuality()
        measure.samples = 256
        measure.iterationBudget = budget
        return (config, measure)
    }

    @Test func twoDrawsReportTheMeanOfTheFirstDrawAndAnIndependentSecond() throws {
        var (config, measure) = smallRun(.fm, budget: 1000)
        let dataset = Dataset.toy(.moons)
        measure.evaluationIterations = 500
        let one = try measure.run(config: config, dataset: dataset, target: nil)
        measure.draws = 2
        let two = try measure.run(config: config, dataset: dataset, target: nil)
        // The second draw by hand: its data and noise from stream 42, the initial network.
        var rng = SplitMix64.stream(seed: config.seed, 42)
        let reference = dataset.sample(count: 256, rng: &rng)
        let noise = (0..<512).map { _ in rng.gaussian() }
        var renoise = SplitMix64.stream(seed: config.seed, 43)
        let model = Model(trainer: try Trainer(config: config, dataset: dataset))
        let points = Method.fm.definition.mainSampler.sample(model: model, noise: noise, steps: 128, rng: &renoise)
        let second = SlicedWasserstein().distance(points, reference)
        let first = try #require(one.curve.first?.sw2)
        #expect(second != first)
        #expect(abs(try #require(two.curve.first?.sw2) - (first + second) / 2) < 1e-12)
        #expect(two.curve.map(\.iterations) == one.curve.map(\.iterations))
    }

    @Test func theFirstDrawIsTheEvalCommandsOwnDrawOnWhichTheTargetsWereMeasured() throws {
        for method in [Method.fm, .ct] {
            let (config, measure) = smallRun(method, budget: 100)
            let dataset = Dataset.toy(.pinwheel)
            let run = try measure.run(config: config, dataset: dataset, target: nil)
            let model = Model(trainer: try Trainer(config: config, dataset: dataset))
            let steps = TimeToQuality.steps(for: method)
            let sampler = method.definition.mainSampler
            let eval = Evaluation.run(
                model: model, dataset: dataset, steps: [steps], samples: 256, seed: config.seed, samplers: [sampler])
            #expect(try #require(run.curve.first?.sw2) == eval.sw2(sampler, steps: steps))
        }
    }
}
