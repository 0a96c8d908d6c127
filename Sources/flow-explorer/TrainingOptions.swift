import ArgumentParser
import FlowCore

/// The options that set a `TrainingConfig`, shared by `train` and `bench --time-to-quality`. Each
/// is optional: one left out keeps the method's default (`TrainingConfig(method:)`), so no
/// default is restated here; the help shows flow matching's (and MeanFlow's own where it differs).
struct TrainingOptions: ParsableArguments {
    /// The defaults shown in the help.
    static let defaults = TrainingConfig(method: .fm)
    /// MeanFlow's own defaults, for its options' help.
    static let meanFlow = TrainingConfig(method: .meanflow)

    @Option(parsing: .unconditional, help: "Training iterations (default \(defaults.iterations)).")
    var iterations: Int?
    @Option(parsing: .unconditional, help: "Random seed (default \(defaults.seed)).")
    var seed: UInt64?
    @Option(parsing: .unconditional, help: "Batch size (default \(defaults.batchSize)).")
    var batchSize: Int?
    @Option(parsing: .unconditional, help: "Adam learning rate (default \(defaults.learningRate)).")
    var lr: Float?
    @Option(parsing: .unconditional, help: "Linear learning-rate warm-up, in iterations (default \(defaults.warmupIterations)).")
    var warmup: Int?
    @Option(
        help:
            "Decay the learning rate along a half cosine to 0 at the end: true or false (default \(defaults.learningRateDecay)).")
    var lrDecay: Bool?
    @Option(parsing: .unconditional, help: "EMA decay of the sampling weights (default \(defaults.emaDecay)).")
    var emaDecay: Float?
    @Option(help: "Warm the EMA decay up as min(decay, (1 + n) / (10 + n)): true or false (default \(defaults.emaWarmup)).")
    var emaWarmup: Bool?
    @Option(parsing: .unconditional, help: "Hidden layer width (default \(defaults.width)).")
    var width: Int?
    @Option(parsing: .unconditional, help: "Number of hidden layers (default \(defaults.depth)).")
    var depth: Int?
    @Option(parsing: .unconditional, help: "Sinusoidal embedding size of t (and d) (default \(defaults.embeddingSize)).")
    var embeddingSize: Int?
    @Option(
        parsing: .unconditional,
        help:
            "Scale c of the time features sin(c t f_k), cos(c t f_k) (default \(defaults.timeScale); meanflow \(meanFlow.timeScale))."
    )
    var timeScale: Float?
    @Option(
        help:
            "How a batch pairs noise with data: independent, or ot for minibatch optimal transport (fm, shortcut, meanflow; default independent)."
    )
    var coupling: Coupling?
    @Option(
        parsing: .unconditional,
        help: "Shortcut: fraction of each batch used for bootstrap rows (default \(defaults.bootstrapFraction)).")
    var bootstrapFraction: Float?
    @Option(
        parsing: .unconditional,
        help: "Shortcut: M, the number of finest steps (finest step size 1/M; default \(defaults.finestSteps)).")
    var finestSteps: Int?
    @Option(help: "Weights for self-targets: ema or online (default: ema for shortcut, online otherwise).")
    var target: TrainingConfig.TargetWeights?
    @Option(help: "CD: the teacher's ODE step, euler or heun (default \(defaults.teacherStep.rawValue)).")
    var teacherStep: TrainingConfig.TeacherStep?
    @Option(parsing: .unconditional, help: "CD: the number of levels N (default \(defaults.levels)).")
    var levels: Int?
    @Option(parsing: .unconditional, help: "CT: the curriculum's first N (default \(defaults.curriculumStart)).")
    var curriculumStart: Int?
    @Option(parsing: .unconditional, help: "CT: the curriculum's last N (default \(defaults.curriculumEnd)).")
    var curriculumEnd: Int?
    @Option(
        parsing: .unconditional,
        help: "CT: the iterations over which the curriculum doubles N (default: the planned --iterations).")
    var curriculumIterations: Int?
    @Option(parsing: .unconditional, help: "CD/CT: c of the pseudo-Huber distance (default \(defaults.huberC)).")
    var huberC: Float?
    @Option(
        parsing: .unconditional,
        help: "MeanFlow: the share of rows with h = 0, plain flow matching (default \(defaults.flowShare)).")
    var flowShare: Float?
    @Option(parsing: .unconditional, help: "MeanFlow: mean of the logit-normal law of the times (default \(defaults.timeMean)).")
    var timeMean: Float?
    @Option(parsing: .unconditional, help: "MeanFlow: standard deviation of the logit-normal law (default \(defaults.timeStd)).")
    var timeStd: Float?
    @Option(
        parsing: .unconditional,
        help:
            "MeanFlow: power p of the loss weight 1/(|error|^2 + eps)^p, 0 for none (default \(meanFlow.weightPower); paper: 1).")
    var weightPower: Float?
    @Option(parsing: .unconditional, help: "MeanFlow: eps of the loss weight (default \(defaults.weightEpsilon)).")
    var weightEpsilon: Float?

    /// The defaults of `method` with every option that was given, validated.
    func config(for method: Method) throws -> TrainingConfig {
        try validateLearningRate(lr)
        var config = TrainingConfig(method: method)
        func set<T>(_ value: T?, _ key: WritableKeyPath<TrainingConfig, T>) {
            if let value { config[keyPath: key] = value }
        }
        set(seed, \.seed)
        set(iterations, \.iterations)
        set(batchSize, \.batchSize)
        set(lr, \.learningRate)
        set(warmup, \.warmupIterations)
        set(lrDecay, \.learningRateDecay)
        set(emaDecay, \.emaDecay)
        set(emaWarmup, \.emaWarmup)
        set(width, \.width)
        set(depth, \.depth)
        set(embeddingSize, \.embeddingSize)
        set(timeScale, \.timeScale)
        set(coupling, \.coupling)
        set(bootstrapFraction, \.bootstrapFraction)
        set(finestSteps, \.finestSteps)
        set(target, \.targetWeights)
        set(teacherStep, \.teacherStep)
        set(levels, \.levels)
        set(curriculumStart, \.curriculumStart)
        set(curriculumEnd, \.curriculumEnd)
        if let curriculumIterations { config.curriculumIterations = curriculumIterations }
        set(huberC, \.huberC)
        set(flowShare, \.flowShare)
        set(timeMean, \.timeMean)
        set(timeStd, \.timeStd)
        set(weightPower, \.weightPower)
        set(weightEpsilon, \.weightEpsilon)
        if let problem = config.problem { throw ValidationError(problem) }
        return config
    }
}
