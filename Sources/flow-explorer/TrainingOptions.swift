import ArgumentParser
import FlowCore

/// The options that set a `TrainingConfig`, shared by `train` and `bench --time-to-quality`. Each
/// is optional: one left out keeps the method's default (`TrainingConfig(method:)`), so no
/// default is restated here; the help reads them from the methods (`MethodDefaults`).
struct TrainingOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Training iterations \(MethodDefaults.note("--iterations")).")
    var iterations: Int?
    @Option(parsing: .unconditional, help: "Random seed \(MethodDefaults.note("--seed")).")
    var seed: UInt64?
    @Option(parsing: .unconditional, help: "Batch size, 1 to 65536 \(MethodDefaults.note("--batch-size")).")
    var batchSize: Int?
    @Option(parsing: .unconditional, help: "Adam learning rate \(MethodDefaults.note("--lr")).")
    var lr: Float?
    @Option(parsing: .unconditional, help: "Linear learning-rate warm-up, in iterations \(MethodDefaults.note("--warmup")).")
    var warmup: Int?
    @Option(
        help: "Decay the learning rate along a half cosine to 0 at the end: true or false \(MethodDefaults.note("--lr-decay")).")
    var lrDecay: Bool?
    @Option(
        parsing: .unconditional,
        help:
            "Scale the learning rate after the warm-up by sqrt(N / (N + n)), n the iterations since: a decay without a planned end (0: none) \(MethodDefaults.note("--lr-falloff", openEnded: true))."
    )
    var lrFalloff: Int?
    @Option(
        parsing: .unconditional,
        help: "Adam's b1, the decay of the gradient's running mean, 0 to 1 \(MethodDefaults.note("--adam-beta1")).")
    var adamBeta1: Float?
    @Option(
        parsing: .unconditional,
        help:
            "Adam's b2, the decay of the squared gradient's running mean, 0 to 1 \(MethodDefaults.note("--adam-beta2")); \(MethodDefaults.value("--adam-beta2", .fm, openEnded: true)) in a run without a planned end (the UI, bench --time-to-quality)."
    )
    var adamBeta2: Float?
    @Option(parsing: .unconditional, help: "EMA decay of the sampling weights \(MethodDefaults.note("--ema-decay")).")
    var emaDecay: Float?
    @Option(
        help: "Warm the EMA decay up as min(decay, (1 + n) / (c + n)): true or false \(MethodDefaults.note("--ema-warmup")).")
    var emaWarmup: Bool?
    @Option(
        parsing: .unconditional,
        help:
            "c of the EMA warm-up, above 1: the average spans about the last n / (c - 1) iterations \(MethodDefaults.note("--ema-warmup-offset"))."
    )
    var emaWarmupOffset: Float?
    @Option(parsing: .unconditional, help: "Hidden layer width \(MethodDefaults.note("--width")).")
    var width: Int?
    @Option(parsing: .unconditional, help: "Number of hidden layers \(MethodDefaults.note("--depth")).")
    var depth: Int?
    @Option(parsing: .unconditional, help: "Sinusoidal embedding size of t (and d) \(MethodDefaults.note("--embedding-size")).")
    var embeddingSize: Int?
    @Option(
        parsing: .unconditional,
        help: "Scale c of the time features sin(c t f_k), cos(c t f_k) \(MethodDefaults.note("--time-scale")).")
    var timeScale: Float?
    @Option(
        help:
            "How a batch pairs noise with data: independent, or ot for minibatch optimal transport (fm, shortcut, meanflow) \(MethodDefaults.note("--coupling"))."
    )
    var coupling: Coupling?
    @Option(
        help:
            "What the flow-matching rows regress on (fm, shortcut, meanflow): conditional (x1 - x0), or batch, the marginal velocity of the batch's own data points (the stable target field; independent pairs only) \(MethodDefaults.note("--velocity-target", openEnded: true))."
    )
    var velocityTarget: VelocityTarget?
    @Option(
        parsing: .unconditional,
        help: "Shortcut: fraction of each batch used for bootstrap rows \(MethodDefaults.note("--bootstrap-fraction")).")
    var bootstrapFraction: Float?
    @Option(
        parsing: .unconditional,
        help: "Shortcut: M, the number of finest steps (finest step size 1/M) \(MethodDefaults.note("--finest-steps")).")
    var finestSteps: Int?
    @Option(help: "Weights for self-targets: ema or online \(MethodDefaults.note("--target")).")
    var target: TrainingConfig.TargetWeights?
    @Option(help: "CD: the teacher's ODE step, euler or heun \(MethodDefaults.note("--teacher-step")).")
    var teacherStep: TrainingConfig.TeacherStep?
    @Option(parsing: .unconditional, help: "CD: the number of levels N \(MethodDefaults.note("--levels")).")
    var levels: Int?
    @Option(parsing: .unconditional, help: "CT: the curriculum's first N \(MethodDefaults.note("--curriculum-start")).")
    var curriculumStart: Int?
    @Option(parsing: .unconditional, help: "CT: the curriculum's last N \(MethodDefaults.note("--curriculum-end")).")
    var curriculumEnd: Int?
    @Option(
        parsing: .unconditional,
        help: "CT: the iterations over which the curriculum doubles N \(MethodDefaults.note("--curriculum-iterations")).")
    var curriculumIterations: Int?
    @Option(parsing: .unconditional, help: "CD/CT: c of the pseudo-Huber distance \(MethodDefaults.note("--huber-c")).")
    var huberC: Float?
    @Option(
        parsing: .unconditional,
        help:
            "MeanFlow, psd, lsd, alphaflow: the share of rows with h = 0, plain flow matching \(MethodDefaults.note("--flow-share"))."
    )
    var flowShare: Float?
    @Option(
        parsing: .unconditional,
        help: "MeanFlow: mean of the logit-normal law of the times \(MethodDefaults.note("--time-mean")).")
    var timeMean: Float?
    @Option(
        parsing: .unconditional,
        help: "MeanFlow: standard deviation of the logit-normal law \(MethodDefaults.note("--time-std")).")
    var timeStd: Float?
    @Option(
        parsing: .unconditional,
        help:
            "MeanFlow: power p of the loss weight 1/(|error|^2 + eps)^p, 0 to 1 (0: none; the paper: 1) \(MethodDefaults.note("--weight-power"))."
    )
    var weightPower: Float?
    @Option(parsing: .unconditional, help: "MeanFlow: eps of the loss weight \(MethodDefaults.note("--weight-epsilon")).")
    var weightEpsilon: Float?
    @Option(
        parsing: .unconditional,
        help: "AlphaFlow: the iterations over which alpha falls from 1 to 0 \(MethodDefaults.note("--alpha-iterations")).")
    var alphaIterations: Int?
    @Option(
        parsing: .unconditional, help: "AlphaFlow: gamma of the curriculum's sigmoid \(MethodDefaults.note("--alpha-gamma")).")
    var alphaGamma: Float?

    /// One option: its name, whether it was given, and how it sets its setting.
    private struct Setting {
        let name: String
        let given: Bool
        let apply: (inout TrainingConfig) -> Void
    }

    /// An option given sets its setting; one not given leaves the default.
    private func setting<T>(_ name: String, _ value: T?, _ key: WritableKeyPath<TrainingConfig, T>) -> Setting {
        Setting(name: name, given: value != nil) { config in if let value { config[keyPath: key] = value } }
    }

    /// The same for a setting that is itself optional: an absent option cannot set it to nil.
    private func setting<T>(_ name: String, _ value: T?, _ key: WritableKeyPath<TrainingConfig, T?>) -> Setting {
        Setting(name: name, given: value != nil) { config in if let value { config[keyPath: key] = value } }
    }

    /// Every training option, once: its name and its setting.
    private var settings: [Setting] {
        [
            setting("--iterations", iterations, \.iterations), setting("--seed", seed, \.seed),
            setting("--batch-size", batchSize, \.batchSize), setting("--lr", lr, \.learningRate),
            setting("--warmup", warmup, \.warmupIterations), setting("--lr-decay", lrDecay, \.learningRateDecay),
            setting("--lr-falloff", lrFalloff, \.learningRateFalloff), setting("--adam-beta1", adamBeta1, \.adamBeta1),
            setting("--adam-beta2", adamBeta2, \.adamBeta2), setting("--ema-decay", emaDecay, \.emaDecay),
            setting("--ema-warmup", emaWarmup, \.emaWarmup),
            setting("--ema-warmup-offset", emaWarmupOffset, \.emaWarmupOffset), setting("--width", width, \.width),
            setting("--depth", depth, \.depth), setting("--embedding-size", embeddingSize, \.embeddingSize),
            setting("--time-scale", timeScale, \.timeScale), setting("--coupling", coupling, \.coupling),
            setting("--velocity-target", velocityTarget, \.velocityTarget),
            setting("--bootstrap-fraction", bootstrapFraction, \.bootstrapFraction),
            setting("--finest-steps", finestSteps, \.finestSteps), setting("--target", target, \.targetWeights),
            setting("--teacher-step", teacherStep, \.teacherStep), setting("--levels", levels, \.levels),
            setting("--curriculum-start", curriculumStart, \.curriculumStart),
            setting("--curriculum-end", curriculumEnd, \.curriculumEnd),
            setting("--curriculum-iterations", curriculumIterations, \.curriculumIterations),
            setting("--huber-c", huberC, \.huberC), setting("--flow-share", flowShare, \.flowShare),
            setting("--time-mean", timeMean, \.timeMean), setting("--time-std", timeStd, \.timeStd),
            setting("--weight-power", weightPower, \.weightPower),
            setting("--weight-epsilon", weightEpsilon, \.weightEpsilon),
            setting("--alpha-iterations", alphaIterations, \.alphaIterations),
            setting("--alpha-gamma", alphaGamma, \.alphaGamma),
        ]
    }

    /// The options given on the command line, by name (`bench` refuses them where it ignores them).
    var givenNames: [String] { settings.filter(\.given).map(\.name) }

    /// The defaults of `method` (made open-ended first when `openEnded`, as in the UI) with every
    /// option that was given and `threads` (nil: all cores), validated, its memory estimate too
    /// (`TrainingConfig.memoryProblem`), before any work.
    func config(for method: Method, threads: Int? = nil, openEnded: Bool = false) throws -> TrainingConfig {
        try validateLearningRate(lr)
        var config = TrainingConfig(method: method)
        if openEnded { config.makeOpenEnded() }
        for setting in settings { setting.apply(&config) }
        if let threads { config.threads = threads }
        if let problem = config.problem ?? config.memoryProblem { throw ValidationError(problem) }
        return config
    }
}
