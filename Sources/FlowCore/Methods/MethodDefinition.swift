/// What one training method is, for every part of the program: its objective, samplers, the
/// pictures that explain it, its cost, the validation of its settings and their checkpoint
/// metadata. One type per method in `Methods/`; ``Method/definition`` names them.
public protocol MethodDefinition: Sendable {
    /// A short name for people ("shortcut model").
    var title: String { get }
    /// One line for help texts: what it is and where it comes from.
    var summary: String { get }
    /// The loss it minimises in one or two lines of plain-text mathematics, naming the loss
    /// panel's parts (``lossParts``) where it has two; `train --help` and the UI's `i` panel show it.
    var lossFormula: [String] { get }
    /// The main sampler's update in one line of plain-text mathematics.
    var samplerFormula: String { get }
    /// Whether the network takes a second time-like input (the step size d, or an interval h).
    var isStepConditioned: Bool { get }
    /// The samplers that make sense for its network; the first is the main one (the samples view,
    /// `sample` without `--sampler`, the UI's K steps).
    var samplers: [Sampler] { get }
    /// The two (sampler, K) panels of the compare view at the UI's K, from the same noise.
    func comparePair(steps: Int) -> [(sampler: Sampler, steps: Int)]
    /// The compare view's note on what the two panels show.
    var compareNote: String { get }
    /// Where the consistency view sends a point x_t in one jump to t = 1.
    var jumpToEnd: JumpToEnd { get }
    /// The names of the two loss parts the loss panel draws (`StepReport.flowMatchingLoss` and
    /// `bootstrapLoss`), or nil when the method reports one loss.
    var lossParts: (first: String, second: String)? { get }
    /// How many steps the UI, the race and `bench --time-to-quality` train the teacher when none is
    /// given (0 for a method without a teacher). docs/recipes.md says how it was chosen.
    var teacherIterations: Int { get }
    /// Whether the network is a plain velocity field v(x, t): one that can serve as a PF-ODE
    /// teacher (for distillation and the self-consistency error).
    var isVelocityField: Bool { get }
    /// Whether `--coupling ot` applies: the objective has flow-matching pairs (x0, x1) to re-pair.
    var supportsCoupling: Bool { get }
    /// Whether `--reflow` applies: the network is a velocity field trained by flow matching on
    /// pairs (x0, x1), so its own pairs (x0, X(x0, 0, 1)) can replace them (``ReflowPairs``).
    var supportsReflow: Bool { get }
    /// The method of the teacher it distils from, if it needs one (its weights start from the
    /// teacher's).
    var teacher: Method? { get }
    /// Where the targets' weights come from by default (`TrainingConfig.targetWeights` overrides).
    var defaultTargetWeights: TrainingConfig.TargetWeights { get }
    /// The decay of a separate EMA for targets when they use EMA weights, or nil to use the
    /// sampling EMA (`TrainingConfig.emaDecay`).
    func targetEMADecay(_ config: TrainingConfig) -> Float?
    /// Sets the method's own defaults where they differ from the shared ones (called by
    /// `TrainingConfig(method:)`; docs/recipes.md says how each was chosen).
    func applyDefaults(to config: inout TrainingConfig)
    /// Adapts the method's settings to a run of unknown length (called by
    /// `TrainingConfig.makeOpenEnded()` on the method's defaults, before the user's options), e.g. a
    /// curriculum laid out over a fixed length.
    func applyOpenEndedDefaults(to config: inout TrainingConfig)
    /// The workspace rows one batch row needs (2 for a forward-mode pass).
    var workspaceRowsPerBatchRow: Int { get }
    /// The step input d at which the network serves as a plain velocity field (the `euler`
    /// sampler; ignored by networks without the input).
    func velocityStep(_ config: TrainingConfig) -> Float
    /// A problem with the method's own settings, as a sentence, or nil.
    func problem(_ config: TrainingConfig) -> String?
    /// The objective of a training run, and warnings about its settings.
    func objective(_ config: TrainingConfig, teacher: Model?) -> (objective: any Objective, warnings: [String])
    /// Matrix-product FLOPs of one training step (forward and backward of the batch plus the
    /// passes that compute targets).
    func flopsPerStep(_ config: TrainingConfig) -> Int
    /// The iterations over which the method's objective changes along a curriculum (0: it does
    /// not); the race lets no racer rest before its curriculum ends.
    func curriculumIterations(_ config: TrainingConfig) -> Int
    /// The method's own settings as checkpoint metadata (string values).
    func metadata(_ config: TrainingConfig) -> [String: String]
    /// Reads the method's own settings back from checkpoint metadata; keys that are missing
    /// keep their defaults. Throws a sentence when a value is present but bad.
    func read(_ metadata: [String: String], into config: inout TrainingConfig) throws
}

/// How the consistency view (and the jump error) sends a point x_t at time t to t = 1 in one jump.
public enum JumpToEnd: Sendable {
    /// The consistency function f(x, t) = x + (1 - t) F(x, t).
    case consistencyFunction
    /// One jump of a step-conditioned network over the rest of the way: x + (1 - t) F(x, t, 1 - t).
    case interval
    /// One Euler step of the velocity: x + (1 - t) v(x, t).
    case eulerStep
}

extension MethodDefinition {
    public var lossParts: (first: String, second: String)? { nil }
    public var isVelocityField: Bool { false }
    public var supportsCoupling: Bool { false }
    public var supportsReflow: Bool { false }
    public var teacher: Method? { nil }
    public var teacherIterations: Int { 0 }
    public var defaultTargetWeights: TrainingConfig.TargetWeights { .online }
    public func targetEMADecay(_ config: TrainingConfig) -> Float? { nil }
    public var workspaceRowsPerBatchRow: Int { 1 }
    public func applyDefaults(to config: inout TrainingConfig) {}
    public func applyOpenEndedDefaults(to config: inout TrainingConfig) {}
    public func velocityStep(_ config: TrainingConfig) -> Float { 0 }
    public func problem(_ config: TrainingConfig) -> String? { nil }
    public func curriculumIterations(_ config: TrainingConfig) -> Int { 0 }
    public func metadata(_ config: TrainingConfig) -> [String: String] { [:] }
    public func read(_ metadata: [String: String], into config: inout TrainingConfig) throws {}

    /// The main sampler: the first of `samplers`.
    public var mainSampler: Sampler { samplers[0] }

    /// Whether the network gives a velocity (at its velocity step): every method but the
    /// consistency models, whose network is the inner part of f(x, t).
    public var hasVelocity: Bool { jumpToEnd != .consistencyFunction }

    /// The FLOPs of forward and backward over the batch, the part every method has.
    public func trainingFlops(_ config: TrainingConfig) -> Int {
        config.batchSize * (config.shape.forwardFlopsPerRow + config.shape.backwardFlopsPerRow)
    }
}

/// Reading one setting back from metadata: the value under `key` parsed by `parse`, or the
/// current value when the key is missing. A present but unparsable value is an error.
func readSetting<T>(_ metadata: [String: String], _ key: String, _ value: inout T, _ parse: (String) -> T?) throws {
    guard let text = metadata[key] else { return }
    guard let parsed = parse(text) else { throw FlowError.badInput("bad value for \(key) in the metadata") }
    value = parsed
}
