/// Owns a model's weights and trains them one step at a time:
/// batch -> forward -> loss -> backward -> Adam -> EMA. Single-threaded and deterministic: the
/// same configuration and seed give bit-identical weights on the same machine.
public final class Trainer {
    /// The configuration of the run.
    public let config: TrainingConfig
    /// Where the data points x1 come from.
    public let dataset: Dataset
    /// The network, of shape `config.shape`.
    public let network: Network
    /// The online weights, which Adam updates on every step.
    public private(set) var parameters: [Float]
    /// The EMA weights (decay `config.emaDecay`), which every sampler uses.
    public private(set) var ema: [Float]
    /// The number of steps taken.
    public private(set) var iteration = 0
    /// The loss of the first step: the reference of `divergence(_:)`.
    public private(set) var firstLoss: Float?
    /// A loss this many times the first step's is taken as a blow-up.
    public static let blowUpFactor: Float = 1000
    /// Warnings about the configuration (e.g. step-size levels without bootstrap rows).
    public let warnings: [String]
    /// Consistency models with `.ema` targets: the slow target weights (decay 0.95).
    var targetEMA: [Float]
    var gradients: [Float]
    var adam: Adam
    var rng: SplitMix64
    let objective: any Objective
    /// The decay of the separate target EMA, or nil when targets use the sampling EMA.
    let targetEMADecay: Float?
    let workspace: Workspace
    let batch: Batch

    /// A trainer ready for `step()`: weights initialised from `config.seed`, or taken from `initial` or a CD teacher.
    ///
    /// - Parameters:
    ///   - config: the run's settings; a configuration with a `problem` is refused.
    ///   - dataset: where the data points x1 come from.
    ///   - teacher: a flow-matching checkpoint; required for consistency distillation.
    ///   - initial: weights to start from (must have the same shape); for CD the default is the
    ///     teacher's EMA weights.
    /// - Throws: ``FlowError/badInput(_:)`` for a configuration problem, a missing or non-flow-matching teacher, or
    ///   a checkpoint whose network shape differs from the run's.
    public init(config: TrainingConfig, dataset: Dataset, teacher: Checkpoint? = nil, initial: Checkpoint? = nil) throws {
        if let problem = config.problem { throw FlowError.badInput(problem) }
        self.config = config
        self.dataset = dataset
        let shape = config.shape
        network = Network(shape: shape)
        var initRng = SplitMix64.stream(seed: config.seed, 1)
        parameters = network.initialParameters(rng: &initRng)
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
        ema = parameters
        targetEMA = parameters
        gradients = [Float](repeating: 0, count: parameters.count)
        adam = Adam(count: parameters.count, learningRate: config.learningRate)
        rng = SplitMix64.stream(seed: config.seed, 2)
        workspace = Workspace(shape: shape, capacity: definition.workspaceRowsPerBatchRow * config.batchSize)
        batch = Batch(size: config.batchSize)
        (objective, warnings) = definition.objective(config, teacher: teacherModel)
        targetEMADecay = definition.targetEMADecay(config)
    }

    /// One optimisation step.
    @discardableResult
    public func step() -> StepReport {
        let useEMATarget = config.effectiveTargetWeights == .ema
        let report = parameters.withUnsafeBufferPointer { p in
            let targets = useEMATarget ? (targetEMADecay == nil ? ema : targetEMA) : parameters
            return targets.withUnsafeBufferPointer { target in
                let context = ObjectiveContext(
                    network: network, parameters: p.baseAddress!, targetParameters: target.baseAddress!,
                    dataset: dataset, workspace: workspace, batch: batch, iteration: iteration)
                let report = objective.evaluate(context, rng: &rng)
                gradients.withUnsafeMutableBufferPointer { g in
                    network.backward(
                        parameters: p.baseAddress!, outputGradient: batch.outputGradient.p, rows: batch.size,
                        workspace: workspace, gradients: g.baseAddress!)
                }
                return report
            }
        }
        let warmup = config.learningRateScale(atStep: iteration)
        adam.update(&parameters, gradients: gradients, scale: warmup)
        EMA.update(&ema, toward: parameters, decay: config.emaDecay(atStep: iteration))
        if let decay = targetEMADecay, useEMATarget {
            EMA.update(&targetEMA, toward: parameters, decay: decay)
        }
        iteration += 1
        if firstLoss == nil { firstLoss = report.loss }
        return report
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
    /// learning rate.
    public var divergenceAdvice: String {
        let magnitude = dataset.magnitude
        if magnitude > Self.largeDataMagnitude {
            return "the data reach magnitude \(magnitude): scale them to about unit size, like the N(0, I) noise"
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
