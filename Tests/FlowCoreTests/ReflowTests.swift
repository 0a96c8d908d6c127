import Testing

@testable import FlowCore

/// Reflow (Liu, Gong, Liu 2022): the pairs, the training on them, the checkpoint's record and the refusals.
@Suite struct ReflowTests {
    /// A small flow-matching model of moons after `iterations` steps on one thread.
    func source(iterations: Int, width: Int = 32, dataset: ToyDataset = .moons) throws -> Checkpoint {
        var config = TrainingConfig(method: .fm)
        config.width = width
        config.threads = 1
        config.makeOpenEnded()
        let trainer = try Trainer(config: config, dataset: .toy(dataset))
        for _ in 0..<iterations { trainer.step() }
        return trainer.checkpoint()
    }

    /// The next reflow round of `source` on moons, with a small pool.
    func reflowTrainer(_ source: Checkpoint, threads: Int = 1, pairs: Int = 600) throws -> Trainer {
        var config = TrainingConfig(method: .fm)
        config.threads = threads
        config.reflowPairs = pairs
        config.makeOpenEnded()
        try config.reflow(from: source)
        return try Trainer(config: config, dataset: .toy(.moons), reflowSource: source)
    }

    @Test func eachPairEndsWhereRK4From32StepsTakesItsNoiseOnAnyThreadCount() throws {
        let checkpoint = try source(iterations: 50)
        var rng = SplitMix64(seed: 3)
        let one = ReflowPairs(checkpoint: checkpoint, count: 600, rng: &rng)
        var again = SplitMix64(seed: 3)
        let two = ReflowPairs(checkpoint: checkpoint, count: 600, rng: &again, pool: WorkerPool(threads: 2))
        #expect(one.x0.array == two.x0.array)
        #expect(one.x1.array == two.x1.array)
        // The same noise through the sampler directly: the pool's ends are the model's RK4 ends.
        var unused = SplitMix64(seed: 0)
        let ends = Sampler.rk4.sample(model: Model(checkpoint: checkpoint), noise: one.x0.array, steps: 32, rng: &unused)
        let worst = zip(ends, one.x1.array).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst < 1e-4, "largest difference \(worst)")
        #expect(one.x0.array != one.x1.array)
    }

    @Test func aBatchDrawsWholePairsFromThePool() throws {
        let checkpoint = try source(iterations: 20)
        var rng = SplitMix64(seed: 5)
        let pairs = ReflowPairs(checkpoint: checkpoint, count: 40, steps: 4, rng: &rng)
        let batch = Batch(size: 64, reflow: pairs)
        batch.drawEndpoints(.toy(.moons), rng: &rng)
        let pool = Set((0..<40).map { [pairs.x0.p[2 * $0], pairs.x0.p[2 * $0 + 1], pairs.x1.p[2 * $0], pairs.x1.p[2 * $0 + 1]] })
        let rows = (0..<64).map { [batch.x0.p[2 * $0], batch.x0.p[2 * $0 + 1], batch.x1.p[2 * $0], batch.x1.p[2 * $0 + 1]] }
        #expect(rows.allSatisfy { pool.contains($0) })
        #expect(Set(rows).count > 20, "rows drawn all over the pool")
    }

    @Test func reflowStraightensThePathsOfAShortFlowMatchingRun() throws {
        let base = try source(iterations: 1500, width: 64)
        let trainer = try reflowTrainer(base, pairs: 4096)
        for _ in 0..<1000 { trainer.step() }
        var rng = SplitMix64(seed: 9)
        let noise = (0..<1024).map { _ in rng.gaussian() }
        func straightness(_ model: Model) -> Double {
            Straightness.of(Sampler.euler.run(model: model, noise: noise, steps: 64, trajectory: true, rng: &rng))
        }
        let before = straightness(Model(checkpoint: base))
        let after = straightness(Model(trainer: trainer))
        #expect(before > 0.5)
        #expect(after < before / 10, "S \(after) after reflow against \(before)")
    }

    @Test func twoReflowRunsWithTheSameSeedAndThreadsWriteTheSameBytes() throws {
        let base = try source(iterations: 30)
        for threads in [1, 2] {
            let runs = try (0..<2).map { _ in
                let trainer = try reflowTrainer(base, threads: threads)
                for _ in 0..<20 { trainer.step() }
                return trainer.checkpoint().encoded()
            }
            #expect(runs[0] == runs[1], "\(threads) threads")
        }
    }

    @Test func theCheckpointRecordsTheRoundAndASecondRoundCountsOn() throws {
        let base = try source(iterations: 30)
        #expect(base.extra["reflow_round"] == nil)
        let first = try reflowTrainer(base)
        first.step()
        #expect(first.parameters != base.ema, "one step from the source's weights")
        let round1 = try Checkpoint.decode(first.checkpoint().encoded(), name: "round 1")
        #expect(round1.extra["reflow_round"] == "1")
        #expect(try TrainingConfig(checkpoint: round1).reflowPairs == 600)
        let second = try reflowTrainer(round1)
        #expect(second.config.reflowRound == 2)
        #expect(second.checkpoint().extra["reflow_round"] == "2")
    }

    @Test func reflowStartsFromTheSourcesEMAWeights() throws {
        let base = try source(iterations: 30)
        let trainer = try reflowTrainer(base)
        #expect(trainer.parameters == base.ema)
    }

    @Test func reflowIsRefusedForAnotherMethodASourceOfAnotherKindDatasetOrRoundAndOTPairs() throws {
        let base = try source(iterations: 5)
        var shortcut = TrainingConfig(method: .shortcut)
        #expect(throws: FlowError.self) { try shortcut.reflow(from: base) }
        #expect(shortcut.problem?.contains("--reflow applies to fm") == true)

        var config = TrainingConfig(method: .fm)
        config.width = 32
        config.reflowRound = 1
        #expect(throws: FlowError.self) { try Trainer(config: config, dataset: .toy(.moons)) }
        #expect(throws: FlowError.self) { try Trainer(config: config, dataset: .toy(.eightGaussians), reflowSource: base) }
        config.reflowRound = 2
        #expect(throws: FlowError.self) { try Trainer(config: config, dataset: .toy(.moons), reflowSource: base) }
        config.reflowRound = 1
        config.coupling = .ot
        #expect(config.problem?.contains("--coupling ot") == true)

        var meanflow = TrainingConfig(method: .meanflow)
        meanflow.width = 32
        meanflow.threads = 1
        let other = try Trainer(config: meanflow, dataset: .toy(.moons)).checkpoint()
        var fm = TrainingConfig(method: .fm)
        fm.reflowRound = 1
        fm.width = 32
        do {
            _ = try Trainer(config: fm, dataset: .toy(.moons), reflowSource: other)
            Issue.record("a meanflow source was taken")
        } catch let error as FlowError {
            #expect(error.description.contains("velocity field"))
        }
    }
}
