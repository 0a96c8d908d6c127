import Testing

@testable import FlowCore

@Suite struct TrainingTests {
    func train(_ config: TrainingConfig, _ dataset: ToyDataset, teacher: Checkpoint? = nil) throws -> Trainer {
        let trainer = try Trainer(config: config, dataset: .toy(dataset), teacher: teacher)
        for _ in 0..<config.iterations { trainer.step() }
        return trainer
    }

    /// The falloff of an open-ended run: the warm-up, then sqrt(N / (N + n)) with n the
    /// iterations after it; the shortcut model's open-ended defaults turn it on, a planned run
    /// and the user's 0 (set after them) leave the rate alone, and the setting survives a checkpoint.
    @Test func theLearningRateFallsOffAsTheInverseSquareRootAfterTheWarmUp() throws {
        var config = TrainingConfig(method: .shortcut)
        #expect(config.learningRateFalloff == nil)
        config.makeOpenEnded()
        #expect(config.learningRate == 5e-3 && config.learningRateFalloff == 1000 && !config.learningRateDecay)
        #expect(config.learningRateScale(atStep: 99) == 0.5)
        #expect(config.learningRateScale(atStep: 199) == 1)
        #expect(abs(config.learningRateScale(atStep: 200 + 3000) - 0.5) < 1e-6)
        var fm = TrainingConfig(method: .fm)
        #expect(fm.learningRateFalloff == nil && fm.learningRateScale(atStep: 10_000) == 1)
        fm.makeOpenEnded()
        #expect(fm.learningRate == 5e-3 && fm.learningRateFalloff == 1000)
        var off = TrainingConfig(method: .shortcut)
        off.makeOpenEnded()
        off.learningRateFalloff = 0
        #expect(off.learningRateFalloff == 0 && off.learningRateScale(atStep: 10_000) == 1)
        let trainer = try Trainer(config: config, dataset: .toy(.moons))
        let read = try TrainingConfig(checkpoint: trainer.checkpoint())
        #expect(read.learningRateFalloff == 1000 && read.learningRate == 5e-3)
        #expect(
            try TrainingConfig(checkpoint: Trainer(config: TrainingConfig(method: .shortcut), dataset: .toy(.moons)).checkpoint())
                .learningRateFalloff == nil)
    }

    /// The EMA warm-up min(decay, (1 + n) / (c + n)): c = 10 by default; c = 2 makes the EMA the
    /// plain mean of every iterate so far, and the offset survives a checkpoint.
    @Test func theEMAWarmUpsOffsetSetsHowFarBackTheAverageReaches() throws {
        var config = TrainingConfig(method: .fm)
        config.emaWarmup = true
        #expect(config.emaDecay(atStep: 90) == Float(91) / Float(100))
        #expect(config.emaDecay(atStep: 1_000_000) == config.emaDecay)
        config.emaWarmupOffset = 2
        // The mean of n + 2 iterates is the mean of n + 1 moved by 1 / (n + 2): decay (n + 1) / (n + 2).
        #expect(config.emaDecay(atStep: 8) == Float(9) / Float(10))
        config.emaWarmupOffset = 1
        #expect(config.problem == "the EMA warm-up's offset must be above 1")
        config.emaWarmupOffset = 4
        let read = try TrainingConfig(checkpoint: Trainer(config: config, dataset: .toy(.moons)).checkpoint())
        #expect(read.emaWarmupOffset == 4 && read.emaWarmup)
    }

    /// Seeded: 3,000 iterations of flow matching on 8gaussians (about 4 s) give Euler samples at
    /// K = 32 within SW2 0.16 of the data (the noise floor at 2,048 samples is about 0.10), while one
    /// Euler step collapses towards the mean, at least 5 times worse.
    @Test func aShortFlowMatchingRunReachesTheStatedQuality() throws {
        var config = TrainingConfig(method: .fm)
        config.iterations = 3000
        let trainer = try train(config, .eightGaussians)
        let result = Evaluation.run(
            model: Model(checkpoint: trainer.checkpoint()), dataset: trainer.dataset,
            steps: [1, 32], samples: 2048, seed: 0, samplers: [.euler])
        let many = try #require(result.sw2(.euler, steps: 32))
        let one = try #require(result.sw2(.euler, steps: 1))
        #expect(many < 0.16)
        #expect(one > 5 * many)
    }

    /// Seeded: 3,000 iterations of each flow-map loss on 8gaussians give one-jump samples within
    /// SW2 0.2 of the data (the noise floor at 2,048 samples is about 0.10; measured 0.11 to 0.15),
    /// while the same network stepped once with Euler at h = 0 collapses, at least 5 times worse.
    @Test("a short run of each flow-map loss reaches the stated one-step quality", arguments: [Method.psd, .lsd, .alphaflow])
    func aShortFlowMapRunReachesTheStatedQuality(method: Method) throws {
        var config = TrainingConfig(method: method)
        config.iterations = 3000
        let trainer = try train(config, .eightGaussians)
        let sampler = method.definition.mainSampler
        let result = Evaluation.run(
            model: Model(checkpoint: trainer.checkpoint()), dataset: trainer.dataset,
            steps: [1], samples: 2048, seed: 0, samplers: [sampler, .euler])
        let jump = try #require(result.sw2(sampler, steps: 1))
        let euler = try #require(result.sw2(.euler, steps: 1))
        #expect(jump < 0.2)
        #expect(euler > 5 * jump)
    }

    @Test(arguments: Method.allCases)
    func theSameSeedGivesBitIdenticalWeights(method: Method) throws {
        var config = TrainingConfig(method: method)
        config.iterations = 30
        config.width = 32
        var teacher: Checkpoint?
        if method == .cd {
            var fm = config
            fm.method = .fm
            teacher = try train(fm, .moons).checkpoint()
        }
        let a = try train(config, .moons, teacher: teacher)
        let b = try train(config, .moons, teacher: teacher)
        #expect(a.checkpoint().encoded() == b.checkpoint().encoded())
        config.seed = 1
        #expect(try train(config, .moons, teacher: teacher).parameters != a.parameters)
    }

    @Test func everyStepSizeLevelGetsBootstrapRowsAtTheDefaultBatchSize() throws {
        let config = TrainingConfig(method: .shortcut)
        let objective = ShortcutObjective(
            batchSize: config.batchSize, bootstrapFraction: config.bootstrapFraction,
            finestSteps: config.finestSteps)
        #expect(ShortcutObjective.levels(finestSteps: 128) == [1, 0.5, 0.25, 0.125, 0.0625, 0.03125, 0.015625])
        #expect(objective.bootstrapRows == 64)
        #expect(ShortcutObjective.rowsPerLevel(bootstrapRows: 64, finestSteps: 128) == [10, 9, 9, 9, 9, 9, 9])
        #expect(objective.warning == nil)
        #expect(try Trainer(config: config, dataset: .toy(.moons)).warnings.isEmpty)
    }

    @Test func aBatchTooSmallForEveryLevelIsWarnedAbout() throws {
        var config = TrainingConfig(method: .shortcut)
        config.batchSize = 16  // 4 bootstrap rows for 7 levels: all go to d = 1
        let trainer = try Trainer(config: config, dataset: .toy(.moons))
        #expect(trainer.warnings.count == 1)
        #expect(trainer.warnings.first?.contains("6 of the 7 step-size levels get no bootstrap rows") == true)
    }

    @Test func theCurriculumDoublesNInFiveEqualPhases() {
        let levels = ConsistencyObjective.curriculum(start: 8, end: 128, total: 20_000)
        let expected = [
            0: 8, 3999: 8, 4000: 16, 7999: 16, 8000: 32, 12_000: 64, 15_999: 64, 16_000: 128, 19_999: 128, 25_000: 128,
        ]
        for (iteration, n) in expected { #expect(levels(iteration) == n, "iteration \(iteration)") }
    }

    @Test func consistencyDistillationNeedsAFlowMatchingTeacher() throws {
        #expect(throws: FlowError.self) { try Trainer(config: TrainingConfig(method: .cd), dataset: .toy(.moons)) }
        let shortcut = try Trainer(config: TrainingConfig(method: .shortcut), dataset: .toy(.moons)).checkpoint()
        #expect(throws: FlowError.self) {
            try Trainer(config: TrainingConfig(method: .cd), dataset: .toy(.moons), teacher: shortcut)
        }
    }

    @Test func aLearningRateOfOneIsCaughtAsDivergenceWithinAHundredSteps() throws {
        var config = TrainingConfig(method: .fm)
        config.learningRate = 1
        let trainer = try Trainer(config: config, dataset: .toy(.eightGaussians))
        let reason = (0..<100).lazy.compactMap { _ in trainer.divergence(trainer.step()) }.first
        #expect(reason?.contains("times the first step's") == true)
        let healthy = try Trainer(config: TrainingConfig(method: .fm), dataset: .toy(.eightGaussians))
        #expect((0..<300).allSatisfy { _ in healthy.divergence(healthy.step()) == nil })
    }

    @Test func shortcutStepsReportTheirTwoLossParts() throws {
        let trainer = try Trainer(config: TrainingConfig(method: .shortcut), dataset: .toy(.checkerboard))
        let report = trainer.step()
        let flow = try #require(report.flowMatchingLoss)
        let bootstrap = try #require(report.bootstrapLoss)
        #expect(abs(report.loss - (flow * 192 + bootstrap * 64) / 256) < 1e-5)
        #expect(flow > 0 && bootstrap >= 0)
    }
}
