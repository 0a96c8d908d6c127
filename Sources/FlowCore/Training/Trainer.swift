/// Owns a model's weights and trains them one step at a time:
/// batch -> forward -> loss -> backward -> Adam -> EMA, on `config.threads` threads.
///
/// A step draws its batch on one thread (the objective's `prepare`), then runs the network work of
/// the shards of rows on the pool's threads (under OT coupling beside the next batch's pairing), each shard with its own workspace and gradient
/// buffer. The shards' gradients and losses are added in a fixed order (shard 0, then 1, ...), and
/// Adam and the EMAs update slices of the parameters on all threads. So the same configuration,
/// seed and number of threads give bit-identical weights on the same machine, and one thread gives
/// the weights of the single-threaded trainer.
public final class Trainer {
    /// The configuration of the run.
    public let config: TrainingConfig
    /// Where the data points x1 come from.
    public let dataset: Dataset
    /// The network, of shape `config.shape`.
    public let network: Network
    /// The online weights, which Adam updates on every step.
    public var parameters: [Float] { onlineWeights.array }
    /// The EMA weights (decay `config.emaDecay`), which every sampler uses.
    public var ema: [Float] { emaWeights.array }
    /// The number of steps taken.
    public private(set) var iteration = 0
    /// The loss of the first step: the reference of `divergence(_:)`.
    public private(set) var firstLoss: Float?
    /// A loss this many times the first step's is taken as a blow-up.
    public static let blowUpFactor: Float = 1000
    /// Warnings about the configuration (e.g. step-size levels without bootstrap rows).
    public let warnings: [String]
    let onlineWeights: FloatBuffer
    let emaWeights: FloatBuffer
    /// Consistency models with `.ema` targets: the slow target weights (decay 0.95).
    let targetEMA: FloatBuffer
    let adam: Adam
    var rng: SplitMix64
    let objective: any Objective
    /// The decay of the separate target EMA when self-targets use it; nil when they use the
    /// sampling EMA or the online weights (fixed for the run).
    let targetEMADecay: Float?
    /// The weights that compute self-targets: online, sampling EMA or the separate target EMA.
    let targetWeights: FloatBuffer
    let batch: Batch
    /// The batch's row shards, one per thread; shard 0's gradient buffer receives the sum.
    let shards: [BatchShard]
    /// The slices of the parameters that Adam and the EMAs update on each thread.
    let parameterSlices: [Range<Int>]
    let pool: WorkerPool
    /// Under reflow: the pairs the batches draw from (``ReflowPairs``), made from the source model.
    public let reflowPairs: ReflowPairs?

    /// A trainer ready for `step()`: weights initialised from `config.seed`, or taken from `initial` or a CD teacher.
    ///
    /// - Parameters:
    ///   - config: the run's settings; a configuration with a `problem` is refused.
    ///   - dataset: where the data points x1 come from.
    ///   - teacher: a flow-matching checkpoint; required for consistency distillation.
    ///   - initial: weights to start from (must have the same shape); for CD the default is the
    ///     teacher's EMA weights, for reflow the source's.
    ///   - reflowSource: under reflow (`config.reflowRound > 0`), the flow-matching model of the
    ///     round before, whose pairs (x0, X(x0, 0, 1)) the run trains on (``ReflowPairs``).
    /// - Throws: ``FlowError/badInput(_:)`` for a configuration problem, a missing or non-flow-matching teacher or
    ///   reflow source, a source of another dataset or round, or a checkpoint whose network shape differs from the run's.
    public init(
        config: TrainingConfig, dataset: Dataset, teacher: Checkpoint? = nil, initial: Checkpoint? = nil,
        reflowSource: Checkpoint? = nil
    ) throws {
        if let problem = config.problem ?? config.memoryProblem { throw FlowError.badInput(problem) }
        self.config = config
        self.dataset = dataset
        let shape = config.shape
        network = Network(shape: shape)
        var initRng = SplitMix64.stream(seed: config.seed, 1)
        var parameters = network.initialParameters(rng: &initRng)
        let definition = config.method.definition
        var teacherModel: Model?
        if let teacherMethod = definition.teacher {
            guard let teacher else {
                throw FlowError.badInput("\(definition.title) needs a \(teacherMethod.title) teacher (--teacher FILE)")
            }
            guard teacher.method == teacherMethod else {
                throw FlowError.badInput(
                    "the teacher must be a \(teacherMethod.title) checkpoint, not \(teacher.method.rawValue)")
            }
            teacherModel = Model(checkpoint: teacher)
            if initial == nil {
                guard teacher.shape == shape else {
                    throw FlowError.badInput(
                        "the student starts from the teacher's weights, so it needs the teacher's network shape")
                }
                parameters = teacher.ema
            }
        }
        if config.reflowRound > 0 {
            guard let reflowSource else {
                throw FlowError.badInput("reflow needs the model to take its pairs from (--reflow FILE)")
            }
            try Self.checkReflowSource(reflowSource, config: config, dataset: dataset)
            if initial == nil { parameters = reflowSource.ema }
        } else if reflowSource != nil {
            throw FlowError.badInput("a reflow source was given to a run without reflow")
        }
        if let initial {
            guard initial.method == config.method else {
                throw FlowError.badInput(
                    "the initial checkpoint (--init) is a \(initial.method.rawValue) model and this run "
                        + "trains \(config.method.rawValue): the methods must match")
            }
            guard initial.shape == shape else {
                throw FlowError.badInput("the initial checkpoint's network shape differs from this run's")
            }
            parameters = initial.ema
        }
        onlineWeights = FloatBuffer(parameters)
        emaWeights = FloatBuffer(parameters)
        targetEMA = FloatBuffer(parameters)
        adam = Adam(
            count: parameters.count, learningRate: config.learningRate, beta1: config.adamBeta1, beta2: config.adamBeta2)
        rng = SplitMix64.stream(seed: config.seed, 2)
        (objective, warnings) = definition.objective(config, teacher: teacherModel)
        pool = WorkerPool(threads: config.threads)
        var pairRng = SplitMix64.stream(seed: config.seed, 100 + UInt64(max(0, config.reflowRound)))
        reflowPairs = reflowSource.map { [pool] in
            ReflowPairs(checkpoint: $0, count: config.reflowPairs, steps: config.reflowSteps, rng: &pairRng, pool: pool)
        }
        batch = Batch(
            size: config.batchSize,
            coupledRows: config.coupling == .ot ? objective.coupledRows(batchSize: config.batchSize) : nil,
            reflow: reflowPairs)
        let useEMATarget = config.effectiveTargetWeights == .ema
        targetEMADecay = useEMATarget ? definition.targetEMADecay(config) : nil
        targetWeights = useEMATarget ? (targetEMADecay == nil ? emaWeights : targetEMA) : onlineWeights
        let objective = objective
        shards = BatchShard.split(rows: config.batchSize, into: config.shardCount) { objective.cost(ofRow: $0) }
            .enumerated().map { index, rows in
                BatchShard(index: index, rows: rows, shape: shape, workspaceRowsPerRow: definition.workspaceRowsPerBatchRow)
            }
        parameterSlices = Self.slices(count: parameters.count, parts: config.threads)
    }

    /// Refuses a reflow source that cannot make the pairs of `config`'s round on `dataset`: not a
    /// velocity field trained by flow matching, another dataset, another network shape (the run
    /// starts from its weights), or not the round before.
    static func checkReflowSource(_ source: Checkpoint, config: TrainingConfig, dataset: Dataset) throws {
        let definition = source.method.definition
        guard definition.isVelocityField, definition.supportsReflow, source.method == config.method else {
            throw FlowError.badInput(
                "the reflow source must be a \(config.method.title) model (a velocity field), not \(source.method.rawValue)")
        }
        guard source.dataset == dataset.name else {
            throw FlowError.badInput(
                "the reflow source was trained on \(SafeText.escaped(source.dataset, limit: 120)), not \(SafeText.escaped(dataset.name, limit: 120))"
            )
        }
        guard source.shape == config.shape else {
            throw FlowError.badInput("the reflow run starts from the source's weights, so it needs the source's network shape")
        }
        let sourceRound = source.reflowRound
        guard sourceRound + 1 == config.reflowRound else {
            throw FlowError.badInput(
                "reflow round \(config.reflowRound) takes the model of round \(config.reflowRound - 1), and the source is of round \(sourceRound)"
            )
        }
    }

    /// One optimisation step.
    @discardableResult
    public func step() -> StepReport {
        let context = ObjectiveContext(
            network: network, parameters: onlineWeights.p, targetParameters: targetWeights.p, dataset: dataset, batch: batch,
            iteration: iteration)
        objective.prepare(context, rng: &rng)
        batch.drawAhead(dataset, rng: &rng)
        // Under OT coupling the next batch's pairing (part 0, the longest) runs beside the shards.
        let pairing = batch.nextNeedsPairing ? 1 : 0
        pool.run(pairing + shards.count) { part in
            if part < pairing { return batch.pairNext() }
            let shard = shards[part - pairing]
            shard.sums = objective.evaluate(context, shard: shard)
            objective.backward(context, shard: shard)
        }
        var sums = shards[0].sums
        for shard in shards.dropFirst() { sums = sums + shard.sums }
        let report = objective.report(sums, context: context)

        let adamStep = adam.nextStep(scale: config.learningRateScale(atStep: iteration))
        let emaDecay = config.emaDecay(atStep: iteration)
        let targetDecay = targetEMADecay
        pool.run(parameterSlices.count) { index in
            let slice = parameterSlices[index]
            let gradients = shards[0].gradients.p
            for shard in shards.dropFirst() { Self.add(shard.gradients.p, into: gradients, slice) }
            adam.apply(adamStep, parameters: onlineWeights.p, gradients: gradients, range: slice)
            let start = slice.lowerBound
            EMA.update(emaWeights.p + start, toward: onlineWeights.p + start, count: slice.count, decay: emaDecay)
            if let targetDecay {
                EMA.update(targetEMA.p + start, toward: onlineWeights.p + start, count: slice.count, decay: targetDecay)
            }
        }
        iteration += 1
        if firstLoss == nil { firstLoss = report.loss }
        return report
    }

    /// `sum[i] += part[i]` for i in `range`.
    static func add(_ part: UnsafePointer<Float>, into sum: UnsafeMutablePointer<Float>, _ range: Range<Int>) {
        for i in range { sum[i] += part[i] }
    }

    /// `count` parameters in `parts` consecutive slices of about equal size, split at multiples of
    /// 64 so that the vector kernels see the same blocks as over the whole buffer.
    static func slices(count: Int, parts: Int) -> [Range<Int>] {
        let blocks = (count + 63) / 64
        let parts = max(1, min(parts, blocks))
        return (0..<parts).map { k in min(count, blocks * k / parts * 64)..<min(count, blocks * (k + 1) / parts * 64) }
    }

    /// Why training has diverged after the step that gave `report`, or nil: the loss is NaN or
    /// infinite, or has grown past `blowUpFactor` times the first step's loss (a learning rate that
    /// blows up, e.g. --lr 1, sends the flow-matching loss from about 10 to 10^9 within 100 steps).
    public func divergence(_ report: StepReport) -> String? {
        guard report.loss.isFinite else { return "loss \(report.loss)" }
        if let first = firstLoss, first > 0, report.loss > Self.blowUpFactor * first {
            return "loss \(report.loss), over \(Int(Self.blowUpFactor)) times the first step's \(first)"
        }
        return nil
    }

    /// What to change after a divergence: when the data reach a large magnitude (over
    /// `largeDataMagnitude`; the noise is N(0, I)), their scale is the problem; otherwise the
    /// learning rate, and for MeanFlow with an adaptive weight also its power.
    public var divergenceAdvice: String {
        let magnitude = dataset.magnitude
        if magnitude > Self.largeDataMagnitude {
            return "the data reach magnitude \(magnitude): scale them to about unit size, like the N(0, I) noise"
        }
        if config.method == .meanflow, config.weightPower > 0 {
            return "try a lower --lr or --weight-power (0 turns the adaptive weight off)"
        }
        return "try a lower --lr"
    }

    /// Data coordinates beyond this magnitude are named as the likely cause of a divergence.
    public static let largeDataMagnitude: Float = 1000

    /// The current state as a checkpoint.
    public func checkpoint(extra: [String: String] = [:]) -> Checkpoint {
        Checkpoint(
            method: config.method, dataset: dataset.name, seed: config.seed, iterations: iteration,
            shape: config.shape, parameters: parameters, ema: ema, extra: config.metadata.merging(extra) { $1 })
    }

    /// Matrix-product FLOPs of one training step (``MethodDefinition/flopsPerStep(_:)``).
    public var flopsPerStep: Int { config.method.definition.flopsPerStep(config) }
}
