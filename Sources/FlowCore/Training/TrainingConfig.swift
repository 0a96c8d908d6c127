/// Every knob of a training run, with the defaults of DESIGN.md section 3.
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
    public var learningRate: Float = 1e-3
    /// Linear learning-rate warm-up over this many iterations (0: none).
    public var warmupIterations = 0
    /// Decay of the EMA weights used for sampling.
    public var emaDecay: Float = 0.999
    /// Units per hidden layer of the network.
    public var width = 128
    /// Number of hidden layers.
    public var depth = 3
    /// Sinusoidal features per scalar input (t, and d for shortcut models).
    public var embeddingSize = 32
    /// The planned length of the run (the CT curriculum is laid out over it).
    public var iterations = 20_000

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
    /// c of the pseudo-Huber distance sqrt(|a - b|^2 + c^2) - c.
    public var huberC: Float = 0.00054 * Float(2).squareRoot()
    /// Consistency distillation: the teacher's ODE step.
    public var teacherStep: TeacherStep = .heun
    /// EMA decay of the consistency target weights when `targetWeights` is `.ema` (the original paper).
    public var consistencyTargetDecay: Float = 0.95

    /// The defaults of DESIGN.md section 3 for `method`.
    public init(method: Method) { self.method = method }

    /// The network shape of the run; step-conditioned for shortcut models.
    public var shape: NetworkShape {
        NetworkShape(width: width, depth: depth, embeddingSize: embeddingSize, stepConditioned: method.isStepConditioned)
    }

    /// The target weights in force: the explicit choice, else the method's default.
    public var effectiveTargetWeights: TargetWeights {
        targetWeights ?? (method == .shortcut ? .ema : .online)
    }

    /// A one-line reason the configuration cannot run, or nil.
    public var problem: String? {
        if let p = shape.problem { return p }
        if batchSize < 1 || batchSize > 65536 { return "batch size must be between 1 and 65536" }
        if !(learningRate > 0) || !learningRate.isFinite { return "learning rate must be a positive number" }
        if !(emaDecay >= 0 && emaDecay < 1) { return "EMA decay must be in [0, 1)" }
        if iterations < 0 { return "iterations must not be negative" }
        if method == .shortcut {
            if !(bootstrapFraction >= 0 && bootstrapFraction < 1) { return "bootstrap fraction must be in [0, 1)" }
            if finestSteps < 2 || finestSteps > 1 << 16 || finestSteps & (finestSteps - 1) != 0 {
                return "the number of finest steps must be a power of two, at least 2"
            }
        }
        if method.isConsistency {
            if levels < 1 || levels > 1 << 16 { return "levels must be between 1 and 65536" }
            if curriculumStart < 1 || curriculumEnd < curriculumStart || curriculumEnd > 1 << 16 {
                return "the curriculum must go from at least 1 level up to at most 65536"
            }
            if !(huberC >= 0) || !huberC.isFinite { return "the pseudo-Huber c must be a non-negative number" }
            if !(consistencyTargetDecay >= 0 && consistencyTargetDecay < 1) { return "target decay must be in [0, 1)" }
        }
        return nil
    }
}
