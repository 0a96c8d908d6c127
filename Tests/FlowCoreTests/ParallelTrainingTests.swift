import Testing

@testable import FlowCore

/// The data-parallel step: the same bits for the same thread count, and shards that agree with the
/// whole batch.
@Suite struct ParallelTrainingTests {
    /// A small run of `method` at `threads` threads (cd distils from a short fm run), from `initial`
    /// when given.
    func trainer(_ method: Method, threads: Int, initial: Checkpoint? = nil) throws -> Trainer {
        var config = TrainingConfig(method: method)
        config.width = 32
        config.threads = threads
        var teacher: Checkpoint?
        if method == .cd {
            var fm = TrainingConfig(method: .fm)
            fm.width = 32
            fm.threads = 1
            let fmTrainer = try Trainer(config: fm, dataset: .toy(.moons))
            for _ in 0..<20 { fmTrainer.step() }
            teacher = fmTrainer.checkpoint()
        }
        return try Trainer(config: config, dataset: .toy(.moons), teacher: teacher, initial: initial)
    }

    @Test("The same seed and thread count give byte-identical checkpoints", arguments: Method.allCases, [1, 2])
    func sameSeedSameThreadsSameBytes(method: Method, threads: Int) throws {
        let runs = try (0..<2).map { _ in
            let trainer = try trainer(method, threads: threads)
            for _ in 0..<30 { trainer.step() }
            return trainer.checkpoint().encoded()
        }
        #expect(runs[0] == runs[1])
        #expect(!runs[0].isEmpty)
    }

    @Test("Two threads give the losses, targets and gradients of one thread", arguments: Method.allCases)
    func shardsAgreeWithTheWholeBatch(method: Method) throws {
        // From weights trained for a while, so that targets and losses are not those of the first step.
        let warm = try trainer(method, threads: 1)
        for _ in 0..<20 { warm.step() }
        let one = try trainer(method, threads: 1, initial: warm.checkpoint())
        let two = try trainer(method, threads: 2, initial: warm.checkpoint())
        #expect(two.shards.count == 2)
        let a = one.step()
        let b = two.step()
        #expect(abs(a.loss - b.loss) <= 1e-5 * abs(a.loss))
        if let fm = a.flowMatchingLoss, let other = b.flowMatchingLoss { #expect(abs(fm - other) <= 1e-5 * abs(fm)) }
        if let boot = a.bootstrapLoss, let other = b.bootstrapLoss { #expect(abs(boot - other) <= 1e-5 * abs(boot)) }
        #expect(a.levels == b.levels)
        // Each row's target and dL/dy come from that row alone: the same bits on any shard.
        let sameTargets = one.batch.target.array == two.batch.target.array
        let sameOutputGradients = one.batch.outputGradient.array == two.batch.outputGradient.array
        #expect(sameTargets && sameOutputGradients)
        // The gradient is a sum over rows in another order: equal up to float rounding.
        let g1 = one.shards[0].gradients.array
        let g2 = two.shards[0].gradients.array
        let scale = g1.map(abs).max() ?? 0
        let worst = zip(g1, g2).map { abs($0 - $1) }.max() ?? 0
        #expect(scale > 0 && worst <= 1e-5 * scale, "largest difference \(worst) for gradients up to \(scale)")
    }

    @Test("Shards cover the batch in order, each with rows, and split the cost evenly")
    func shardsSplitTheCost() {
        let even = BatchShard.split(rows: 256, into: 2) { _ in 1 }
        #expect(even == [0..<128, 128..<256])
        // Shortcut-like: 64 rows that cost 5/3 each, then 192 rows that cost 1.
        let weighted = BatchShard.split(rows: 256, into: 2) { $0 < 64 ? 5 / 3 : 1 }
        #expect(weighted.count == 2 && weighted[0].lowerBound == 0 && weighted[1].upperBound == 256)
        #expect(weighted[0].upperBound == weighted[1].lowerBound)
        let first = Float(64) * 5 / 3 + Float(weighted[0].count - 64)
        #expect(abs(first - Float(weighted[1].count)) <= 2)
        #expect(BatchShard.split(rows: 3, into: 3) { _ in 1 } == [0..<1, 1..<2, 2..<3])
        #expect(BatchShard.split(rows: 4, into: 3) { $0 == 0 ? 100 : 1 } == [0..<1, 1..<2, 2..<4])
    }

    @Test("A batch smaller than the thread count gets one shard per row")
    func fewRowsFewShards() throws {
        var config = TrainingConfig(method: .fm)
        config.width = 16
        config.batchSize = 3
        config.threads = 8
        let trainer = try Trainer(config: config, dataset: .toy(.moons))
        #expect(trainer.shards.map(\.rows) == [0..<1, 1..<2, 2..<3])
        #expect(trainer.step().loss.isFinite)
    }

    @Test("Parameter slices start at multiples of 64 and cover every parameter once")
    func parameterSlices() {
        #expect(Trainer.slices(count: 37_890, parts: 2) == [0..<18944, 18944..<37890])
        #expect(Trainer.slices(count: 100, parts: 4) == [0..<64, 64..<100])
        #expect(Trainer.slices(count: 10, parts: 1) == [0..<10])
    }

    @Test("The pool runs every part exactly once, loop after loop", arguments: [1, 2, 3])
    func poolRunsEveryPart(threads: Int) {
        let pool = WorkerPool(threads: threads)
        for count in [0, 1, 2, 5, 17] {
            // Each part counts in a slot of its own; the pool orders the writes before run returns.
            let slots = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(count, 1))
            defer { slots.deallocate() }
            slots.initialize(repeating: 0)
            for _ in 0..<50 { pool.run(count) { slots[$0] += 1 } }
            #expect(slots.prefix(count).allSatisfy { $0 == 50 })
        }
    }

    @Test("A thread count outside 1...64 is a configuration problem")
    func threadCountIsValidated() {
        var config = TrainingConfig(method: .fm)
        #expect(config.threads >= 1 && config.threads <= 64)
        config.threads = 0
        #expect(config.problem == "threads must be between 1 and 64")
        config.threads = 65
        #expect(config.problem != nil)
        config.threads = 64
        #expect(config.problem == nil)
    }
}

/// Under OT coupling the next batch is drawn ahead and paired beside the shards.
@Suite struct PipelinedPairingTests {
    func trainer(_ method: Method, threads: Int) throws -> Trainer {
        var config = TrainingConfig(method: method)
        config.width = 32
        config.threads = threads
        config.coupling = .ot
        return try Trainer(config: config, dataset: .toy(.moons))
    }

    @Test(
        "OT runs: the same seed and thread count give byte-identical checkpoints", arguments: [Method.fm, .shortcut, .meanflow],
        [1, 2])
    func sameBytes(method: Method, threads: Int) throws {
        let runs = try (0..<2).map { _ in
            let trainer = try trainer(method, threads: threads)
            for _ in 0..<20 { trainer.step() }
            return trainer.checkpoint().encoded()
        }
        #expect(runs[0] == runs[1])
    }

    @Test("OT runs: two threads pair every batch as one thread does", arguments: [Method.fm, .shortcut, .meanflow])
    func sameBatches(method: Method) throws {
        let one = try trainer(method, threads: 1)
        let two = try trainer(method, threads: 2)
        #expect(two.shards.count == 4, "two shards per thread, so the pairing thread takes fewer rows")
        for step in 0..<5 {
            one.step()
            two.step()
            #expect(one.batch.x0.array == two.batch.x0.array && one.batch.x1.array == two.batch.x1.array, "step \(step)")
        }
        // And the pairs are an OT plan of the batch: pairing them again gains nothing (within the
        // auction's tolerance).
        let lo =
            method == .shortcut ? ShortcutObjective(batchSize: 256, bootstrapFraction: 0.25, finestSteps: 128).bootstrapRows : 0
        let x0 = Array(one.batch.x0.array[(2 * lo)...])
        let x1 = Array(one.batch.x1.array[(2 * lo)...])
        let again = OptimalPairing(capacity: 256).assignment(x0: x0, x1: x1, rows: 256 - lo)
        func cost(_ p: [Int]) -> Double {
            p.indices.reduce(0.0) { sum, i in
                let dx = Double(x0[2 * i] - x1[2 * p[i]])
                let dy = Double(x0[2 * i + 1] - x1[2 * p[i] + 1])
                return sum + dx * dx + dy * dy
            }
        }
        #expect(cost(Array(0..<(256 - lo))) <= cost(again) * 1.001)
    }
}
