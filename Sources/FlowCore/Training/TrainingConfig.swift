import Foundation

/// Every knob of a training run, with each method's defaults (docs/recipes.md says how they were chosen).
public struct TrainingConfig: Sendable {
    /// Which weights compute the self-generated targets (shortcut bootstrap targets, consistency targets).
    public enum TargetWeights: String, Sendable, CaseIterable {
        /// The EMA weights (shortcut default: decay `emaDecay`; consistency: decay `consistencyTargetDecay`).
        case ema
        /// The current online weights under stop-gradient (the iCT choice, the consistency default).
        case online
    }

    /// The ODE step a consistency-distillation teacher takes from one level to the next: Euler (one teacher
    /// evaluation) or Heun (two, the default).
    public enum TeacherStep: String, Sendable, CaseIterable {
        /// `euler`: x + h v(x, t_n); `heun`: the trapezoid with the velocity at that Euler estimate, h = t_{n+1} - t_n.
        case euler, heun
    }

    /// The training method.
    public var method: Method
    /// Seeds every random stream of the run: initial weights and batches.
    public var seed: UInt64 = 0
    /// B, rows per batch (1...65536).
    public var batchSize = 256
    /// Adam's learning rate.
    public var learningRate: Float = TrainingConfig.sharedLearningRate
    /// Adam's usual learning rate, 1e-3: the default unless a method sets its own.
    public static let sharedLearningRate: Float = 1e-3
    /// Linear learning-rate warm-up over this many iterations (0: none).
    public var warmupIterations = 0
    /// Whether the learning rate decays after the warm-up along a half cosine to 0 at the planned
    /// end (`iterations`); a run of unknown length (the UI) keeps it constant.
    public var learningRateDecay = false
    /// The falloff of a run of unknown length, N: after the warm-up the learning rate is scaled by
    /// sqrt(N / (N + n)), n the iterations since, so it needs no planned end (nil or 0: none; nil
    /// lets a method's open-ended defaults choose, ``MethodDefinition/applyOpenEndedDefaults(to:)``).
    public var learningRateFalloff: Int?
    /// Adam's b1, the decay of the gradient's running mean (Kingma and Ba: 0.9).
    public var adamBeta1: Float = 0.9
    /// Adam's b2, the decay of the squared gradient's running mean (Kingma and Ba: 0.999).
    public var adamBeta2: Float = 0.999
    /// Decay of the EMA weights used for sampling.
    public var emaDecay: Float = 0.999
    /// Whether the EMA decay warms up as `min(emaDecay, (1 + n) / (c + n))` at step n, c
    /// `emaWarmupOffset`, so the sampling weights follow the early progress instead of lagging a
    /// thousand steps behind it.
    public var emaWarmup = false
    /// c of the EMA warm-up, above 1: while it rules, the average spans about the last n / (c - 1)
    /// iterations (10: a ninth of the run; 2: all of it, the plain mean of every iterate).
    public var emaWarmupOffset: Float = 10
    /// How each batch pairs noise with data (fm, shortcut and meanflow; others are independent).
    public var coupling: Coupling = .independent
    /// What the flow-matching rows regress on (fm, shortcut and meanflow): their conditional
    /// velocity, or the batch's marginal velocity (``usesBatchVelocity``).
    public var velocityTarget: VelocityTarget = .conditional
    /// Units per hidden layer of the network.
    public var width = 128
    /// Number of hidden layers.
    public var depth = 3
    /// Sinusoidal features per scalar input (t, and d for shortcut models).
    public var embeddingSize = 32
    /// The scale c of the sinusoidal features sin(c s f_k), cos(c s f_k) (default 1000).
    public var timeScale: Float = 1000
    /// The planned length of the run (the CT curriculum is laid out over it).
    public var iterations = 20_000
    /// The threads a training step runs on (1...64; default: every core, at most 64). The batch is
    /// split into one shard of rows per thread (two under OT coupling, ``shardCount``); the same seed and the same number of threads give
    /// the same bits, and one thread gives the bits of the single-threaded trainer.
    public var threads = min(TrainingConfig.maximumThreads, ProcessInfo.processInfo.activeProcessorCount)
    /// The most threads a run may use.
    public static let maximumThreads = 64

    // Shortcut models (Frans et al. 2024).
    /// Fraction k of each batch used for bootstrap (self-consistency) rows.
    public var bootstrapFraction: Float = 0.25
    /// M, the number of finest steps: the finest step size is 1/M.
    public var finestSteps = 128
    /// Weights that compute the bootstrap target (default: EMA) or the consistency target (default: online).
    public var targetWeights: TargetWeights? = nil

    // Consistency models (Song et al. 2023; iCT, Song and Dhariwal 2023).
    /// N, the number of levels of the CD discretisation (CT: see `curriculumStart` and `curriculumEnd`).
    public var levels = 32
    /// Consistency training: N at the start of the iCT curriculum.
    public var curriculumStart = 8
    /// Consistency training: N at the end of the curriculum (it doubles from `curriculumStart`).
    public var curriculumEnd = 128
    /// The iterations over which the CT curriculum runs its phases, or nil for the planned length
    /// of the run (`iterations`). A run of unknown length (the UI) needs a fixed one.
    public var curriculumIterations: Int?
    /// c of the pseudo-Huber distance sqrt(|a - b|^2 + c^2) - c.
    public var huberC: Float = 0.00054 * Float(2).squareRoot()
    /// Consistency distillation: the teacher's ODE step.
    public var teacherStep: TeacherStep = .heun
    /// EMA decay of the consistency target weights when `targetWeights` is `.ema` (the original paper).
    public var consistencyTargetDecay: Float = 0.95

    // MeanFlow (Geng et al. 2025).
    /// The share of rows with h = 0 (plain flow matching; the paper uses 75% and 25%), also the
    /// flow-map methods' share of diagonal rows.
    public var flowShare: Float = 0.25
    /// The mean of the logit-normal law of the times (the paper's -0.4 mirrored to t = 0 noise).
    public var timeMean: Float = 0.4
    /// The standard deviation of the logit-normal law of the times.
    public var timeStd: Float = 1
    /// The power p of the adaptive loss weight `1 / (|error|^2 + eps)^p` (0: unweighted).
    public var weightPower: Float = 1
    /// The eps of the adaptive loss weight.
    public var weightEpsilon: Float = 0.01

    // AlphaFlow (Zhang et al. 2026).
    /// The iterations over which alpha falls from 1 to 0, or nil for a quarter of the planned run.
    public var alphaIterations: Int?
    /// The steepness gamma of the alpha curriculum's sigmoid (the paper: 25).
    public var alphaGamma: Float = 25

    // Reflow (Liu, Gong, Liu 2022; flow matching only).
    /// The reflow round: 0 for flow matching on independent (or OT) pairs, n for flow matching on
    /// the pairs (x0, X(x0, 0, 1)) of a round n - 1 model (``ReflowPairs``).
    public var reflowRound = 0
    /// Reflow: the pairs made up front into the pool the batches draw from.
    public var reflowPairs = TrainingConfig.defaultReflowPairs
    /// The pool size of `train --reflow` (docs/recipes.md: 1,024 pairs already reach the noise floor on moons and 8gaussians).
    public static let defaultReflowPairs = 16_384
    /// Reflow: the RK4 steps that integrate the old model from x0 to X(x0, 0, 1).
    public var reflowSteps = ReflowPairs.steps

    /// The defaults for `method` (docs/recipes.md).
    public init(method: Method) {
        self.method = method
        method.definition.applyDefaults(to: &self)
    }

    /// The network shape of the run; step-conditioned for shortcut models.
    public var shape: NetworkShape {
        NetworkShape(
            width: width, depth: depth, embeddingSize: embeddingSize, stepConditioned: method.isStepConditioned,
            timeScale: timeScale)
    }

    /// Takes the network shape of `checkpoint` (width, depth, features and their scale): a run that
    /// continues a checkpoint, or distils one, needs its shape.
    public mutating func useShape(of checkpoint: Checkpoint) {
        width = checkpoint.shape.width
        depth = checkpoint.shape.depth
        embeddingSize = checkpoint.shape.embeddingSize
        timeScale = checkpoint.shape.timeScale
    }

    /// Makes the run the next reflow round of `source` (Liu et al. 2022): its round plus one, and
    /// its network shape, since the run starts from its weights. Throws the configuration's
    /// problem, e.g. reflow of a method other than flow matching.
    public mutating func reflow(from source: Checkpoint) throws {
        reflowRound = source.reflowRound + 1
        useShape(of: source)
        if let problem { throw FlowError.badInput(problem) }
    }

    /// The number of row shards a step splits its batch into: one per thread, at most one per row;
    /// two per thread under OT coupling, so that the thread that pairs the next batch takes fewer.
    public var shardCount: Int { max(1, min(coupling == .ot && threads > 1 ? 2 * threads : threads, batchSize)) }

    /// The target weights in force: the explicit choice, else the method's default.
    public var effectiveTargetWeights: TargetWeights {
        targetWeights ?? method.definition.defaultTargetWeights
    }

    /// A one-line reason the configuration cannot run, or nil.
    public var problem: String? {
        if let p = shape.problem { return p }
        if batchSize < 1 || batchSize > 65536 { return "batch size must be between 1 and 65536" }
        if !(learningRate > 0) || !learningRate.isFinite { return "learning rate must be a positive number" }
        if !(emaDecay >= 0 && emaDecay < 1) { return "EMA decay must be in [0, 1)" }
        if !(emaWarmupOffset > 1) || !emaWarmupOffset.isFinite { return "the EMA warm-up's offset must be above 1" }
        if !(adamBeta1 >= 0 && adamBeta1 < 1) || !(adamBeta2 >= 0 && adamBeta2 < 1) {
            return "Adam's betas must be in [0, 1)"
        }
        if iterations < 0 { return "iterations must not be negative" }
        if warmupIterations < 0 { return "warm-up iterations must not be negative" }
        if let n = learningRateFalloff, n < 0 { return "the learning-rate falloff must not be negative" }
        if !(1...Self.maximumThreads).contains(threads) { return "threads must be between 1 and \(Self.maximumThreads)" }
        if let p = Self.couplingProblem(coupling, for: method) { return p }
        if let p = reflowProblem { return p }
        if velocityTarget == .batch && !method.definition.supportsCoupling {
            return "--velocity-target batch applies to \(Self.pairedMethodNames) only"
        }
        return method.definition.problem(self)
    }

    /// Whether the objective takes the batch's velocity (``BatchVelocity``): asked for, by a method
    /// with flow-matching rows, on independent pairs (OT and reflow pairs keep their own).
    public var usesBatchVelocity: Bool {
        velocityTarget == .batch && method.definition.supportsCoupling && coupling == .independent && reflowRound == 0
    }

    /// The methods with flow-matching pairs (x0, x1), as a list for messages: "fm, shortcut, meanflow".
    static var pairedMethodNames: String {
        Method.allCases.filter { $0.definition.supportsCoupling }.map(\.rawValue).joined(separator: ", ")
    }

    /// Why `coupling` cannot pair the batches of `method` (nil: several methods at once, as in the
    /// UI's race, which takes independent pairs only), or nil when it can.
    public static func couplingProblem(_ coupling: Coupling, for method: Method?) -> String? {
        guard coupling != .independent, method.map({ !$0.definition.supportsCoupling }) ?? true else { return nil }
        return "--coupling \(coupling.rawValue) applies to \(pairedMethodNames) only"
    }

    /// Why the reflow settings cannot run, or nil (no reflow, or a sound one).
    var reflowProblem: String? {
        guard reflowRound != 0 else { return nil }
        guard method.definition.supportsReflow else {
            let methods = Method.allCases.filter { $0.definition.supportsReflow }.map(\.rawValue)
            return "--reflow applies to \(methods.joined(separator: ", ")) only (it is flow matching on a model's own pairs)"
        }
        if reflowRound < 0 || reflowRound > 1000 { return "the reflow round must be between 0 and 1000" }
        if coupling != .independent { return "--reflow makes its own pairs: --coupling \(coupling.rawValue) does not apply" }
        if reflowPairs < 1 || reflowPairs > 1 << 22 { return "--reflow-pairs must be between 1 and \(1 << 22)" }
        if reflowSteps < 1 || reflowSteps > 1024 { return "--reflow-steps must be between 1 and 1024" }
        return nil
    }

    /// The most memory a training run may need by ``estimatedMemory`` (2 GiB): a run over it is
    /// refused before anything is allocated (``memoryProblem``), never left to fail an allocation.
    public static let memoryCap = 1 << 31

    /// An upper estimate, in bytes, of the memory a `Trainer` of this configuration takes at its
    /// peak, from the width, depth, batch size and threads: the weights, EMAs and Adam moments
    /// with the copies a checkpoint write makes (12 parameter buffers), per shard a gradient buffer
    /// and a workspace (activations of its rows and a width-squared scratch; a distilling method
    /// also a copy of the teacher), the batch buffers, and 64 MB for the program and its data.
    public var estimatedMemory: Int {
        let shape = self.shape
        let floats = 4
        let parameters = shape.parameterCount * floats
        let maxWidth = max(shape.inputWidth, shape.width)
        let rowsPerShard = (max(1, batchSize) + shardCount - 1) / shardCount
        let rows = method.definition.workspaceRowsPerBatchRow * rowsPerShard
        let workspace =
            (rows * (shape.inputWidth + 3 * shape.depth * shape.width + 2 + 2 * maxWidth) + maxWidth * maxWidth) * floats
        let teacher = method.definition.teacher == nil ? 0 : parameters + 256 * 6 * shape.depth * shape.width * floats
        let perShard = parameters + workspace + teacher
        return 12 * parameters + shardCount * perShard + 40 * batchSize * floats + (64 << 20)
    }

    /// A one-line refusal when ``estimatedMemory`` is over ``memoryCap``, with the estimate, or nil.
    public var memoryProblem: String? {
        let estimate = estimatedMemory
        guard estimate > Self.memoryCap else { return nil }
        func gib(_ bytes: Int) -> String { String(format: "%.1f GiB", Double(bytes) / Double(1 << 30)) }
        return "the run would need about \(gib(estimate)) of memory (width \(width), depth \(depth), "
            + "batch \(batchSize), \(threads) threads), more than the cap of \(gib(Self.memoryCap)): "
            + "lower --width, --depth, --batch-size or --threads"
    }

    /// The learning-rate factor at step n (0-based): the linear warm-up, then the falloff
    /// sqrt(N / (N + n - warm-up)) when ``learningRateFalloff`` N is set, and the cosine decay.
    public func learningRateScale(atStep n: Int) -> Float {
        var scale = warmupIterations > 0 ? min(1, Float(n + 1) / Float(warmupIterations)) : 1
        if let falloff = learningRateFalloff, falloff > 0, n >= warmupIterations {
            scale *= (Float(falloff) / Float(falloff + n - warmupIterations)).squareRoot()
        }
        guard learningRateDecay, iterations > warmupIterations, n >= warmupIterations else { return scale }
        let progress = min(1, Double(n - warmupIterations) / Double(iterations - warmupIterations))
        return scale * Float(0.5 * (1 + Foundation.cos(Double.pi * progress)))
    }

    /// The EMA decay at step n (0-based): `emaDecay`, or its warm-up (see `emaWarmup`).
    public func emaDecay(atStep n: Int) -> Float {
        emaWarmup ? min(emaDecay, Float(1 + n) / (emaWarmupOffset + Float(n))) : emaDecay
    }

    /// Adapts the configuration to a run of unknown length (the UI, the race, `bench
    /// --time-to-quality`), where the picture of the moment matters: the EMA warms up (so the
    /// sampling weights follow the early progress), no decay towards a planned end, and the
    /// method's own changes (``MethodDefinition/applyOpenEndedDefaults(to:)``). Adam's b2 is 0.95
    /// instead of 0.999, so the step size follows the gradient's scale within some 20 steps
    /// rather than 1,000 (docs/recipes.md, fourth round: fewer iterations to the target for
    /// shortcut, MeanFlow, PSD and cd, no worse for the others). A planned run (`train`) keeps the
    /// papers' settings: at its end the two do not differ. It sets these settings outright, so it
    /// comes first, on a method's defaults; the options a user gives are set after it and win.
    /// `asTeacher` (the fm run a cd student waits for) keeps the conditional velocity: a student
    /// distilled from a teacher trained on the batch's velocity needs more iterations (docs/recipes.md,
    /// fifth round).
    public mutating func makeOpenEnded(asTeacher: Bool = false) {
        emaWarmup = true
        learningRateDecay = false
        adamBeta2 = 0.95
        method.definition.applyOpenEndedDefaults(to: &self)
        if asTeacher { velocityTarget = .conditional }
    }

    /// The whole configuration as checkpoint metadata: the settings every method has, then the
    /// method's own (``MethodDefinition/metadata(_:)``). The method, seed, network shape and the
    /// iterations done are the checkpoint's own fields.
    public var metadata: [String: String] {
        var settings = [
            "batch_size": String(batchSize), "learning_rate": String(learningRate),
            "warmup_iterations": String(warmupIterations), "learning_rate_decay": String(learningRateDecay),
            "adam_beta1": String(adamBeta1), "adam_beta2": String(adamBeta2),
            "ema_decay": String(emaDecay), "ema_warmup": String(emaWarmup),
            "ema_warmup_offset": String(emaWarmupOffset),
            "planned_iterations": String(iterations), "target_weights": effectiveTargetWeights.rawValue,
            "threads": String(threads), "coupling": coupling.rawValue,
            "velocity_target": (usesBatchVelocity ? VelocityTarget.batch : .conditional).rawValue,
        ]
        if let falloff = learningRateFalloff { settings["learning_rate_falloff"] = String(falloff) }
        if reflowRound > 0 {
            settings["reflow_round"] = String(reflowRound)
            settings["reflow_pairs"] = String(reflowPairs)
            settings["reflow_steps"] = String(reflowSteps)
        }
        settings.merge(method.definition.metadata(self)) { $1 }
        return settings
    }

    /// The configuration of a run from its checkpoint: the method, seed and shape from the
    /// checkpoint's fields, every other setting from its metadata (defaults where a key is missing,
    /// as in files written before the key existed).
    public init(checkpoint: Checkpoint) throws {
        self.init(method: checkpoint.method)
        seed = checkpoint.seed
        useShape(of: checkpoint)
        let m = checkpoint.extra
        try readSetting(m, "batch_size", &batchSize) { Int($0) }
        try readSetting(m, "learning_rate", &learningRate) { Float($0) }
        try readSetting(m, "warmup_iterations", &warmupIterations) { Int($0) }
        try readSetting(m, "learning_rate_decay", &learningRateDecay) { Bool($0) }
        try readSetting(m, "learning_rate_falloff", &learningRateFalloff) { Int($0).map { .some($0) } }
        try readSetting(m, "adam_beta1", &adamBeta1) { Float($0) }
        try readSetting(m, "adam_beta2", &adamBeta2) { Float($0) }
        try readSetting(m, "ema_decay", &emaDecay) { Float($0) }
        try readSetting(m, "ema_warmup", &emaWarmup) { Bool($0) }
        try readSetting(m, "ema_warmup_offset", &emaWarmupOffset) { Float($0) }
        try readSetting(m, "planned_iterations", &iterations) { Int($0) }
        try readSetting(m, "target_weights", &targetWeights) { TargetWeights(rawValue: $0) }
        try readSetting(m, "threads", &threads) { Int($0) }
        try readSetting(m, "coupling", &coupling) { Coupling(rawValue: $0) }
        try readSetting(m, "velocity_target", &velocityTarget) { VelocityTarget(rawValue: $0) }
        try readSetting(m, "reflow_round", &reflowRound) { Int($0) }
        try readSetting(m, "reflow_pairs", &reflowPairs) { Int($0) }
        try readSetting(m, "reflow_steps", &reflowSteps) { Int($0) }
        try method.definition.read(m, into: &self)
        if let problem { throw FlowError.badInput("the checkpoint's settings do not hold: \(problem)") }
    }
}
