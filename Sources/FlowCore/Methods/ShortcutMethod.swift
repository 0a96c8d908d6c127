/// Shortcut models (Frans, Hafner, Levine, Abbeel 2024; <doc:TimeConventionAndMethods>): s(x, t, d) learns
/// the average velocity over [t, t + d] from flow-matching rows at the finest d and bootstrap rows
/// built from two half steps.
public struct ShortcutMethod: MethodDefinition {
    /// The jump sampler: d = 1/K, x <- x + d s(x, i/K, d).
    public static let sampler = Sampler(name: "shortcut", rule: .jump)

    public init() {}
    public var title: String { "shortcut model" }
    public var summary: String {
        "shortcut model: one network for every step size, trained from two half steps (Frans et al. 2024)"
    }
    public var lossFormula: [String] {
        [
            "flow matching rows: |s(x_t, t, 1/M) - (x1 - x0)|^2 at the finest step d = 1/M",
            "bootstrap rows: |s(x_t, t, 2d) - sg[(s1 + s2) / 2]|^2, two half steps of size d of the target network",
        ]
    }
    public var samplerFormula: String { "jumps: x <- x + (1/K) s(x, k/K, 1/K), k = 0..K-1" }
    public var isStepConditioned: Bool { true }
    public var samplers: [Sampler] { [Self.sampler, .euler] }
    public func comparePair(steps: Int) -> [(sampler: Sampler, steps: Int)] { [(.euler, steps), (Self.sampler, steps)] }
    public var compareNote: String { "same noise; the shortcut model takes jumps of d=1/K" }
    public var jumpToEnd: JumpToEnd { .interval }
    public var lossParts: (first: String, second: String)? { ("flow matching", "bootstrap") }
    public var defaultTargetWeights: TrainingConfig.TargetWeights { .ema }
    public func velocityStep(_ config: TrainingConfig) -> Float { 1 / Float(config.finestSteps) }

    /// A learning rate of 3e-3 with 200 warm-up steps and, when the run's length is known, a half
    /// cosine decay to its end: the one-step samples get good in half the iterations, and the
    /// 20,000-iteration quality improves too. The EMA warms up in every run, a planned one too:
    /// the bootstrap targets come from the EMA weights, and a lagging EMA at this rate costs up to
    /// 50% at 20,000 iterations (docs/recipes.md).
    public func applyDefaults(to config: inout TrainingConfig) {
        config.learningRate = 3e-3
        config.warmupIterations = 200
        config.learningRateDecay = true
        config.emaWarmup = true
    }

    /// A run of unknown length (the UI, the race) starts at 5e-3 and falls off as
    /// sqrt(1000 / (1000 + n)), takes its bootstrap targets from the online weights instead of the
    /// EMA's, gives 60% of each batch to bootstrap rows and samples from an EMA of decay 0.995:
    /// together a third of the iterations to the time-to-quality target, or fewer (docs/recipes.md,
    /// third round). Its flow-matching rows regress on the batch's velocity (``VelocityTarget/batch``;
    /// fifth round: rings 1,400 iterations instead of 3,200).
    public func applyOpenEndedDefaults(to config: inout TrainingConfig) {
        config.velocityTarget = .batch
        config.learningRate = 5e-3
        config.learningRateFalloff = 1000
        config.emaDecay = 0.995
        config.targetWeights = .online
        config.bootstrapFraction = 0.6
    }

    public func problem(_ config: TrainingConfig) -> String? {
        if !(config.bootstrapFraction >= 0 && config.bootstrapFraction < 1) { return "bootstrap fraction must be in [0, 1)" }
        let m = config.finestSteps
        if m < 2 || m > 1 << 16 || m & (m - 1) != 0 { return "the number of finest steps must be a power of two, at least 2" }
        return nil
    }

    public var supportsCoupling: Bool { true }

    public func objective(_ config: TrainingConfig, teacher: Model?) -> (objective: any Objective, warnings: [String]) {
        let s = ShortcutObjective(
            batchSize: config.batchSize, bootstrapFraction: config.bootstrapFraction, finestSteps: config.finestSteps,
            batchVelocity: BatchVelocity(config))
        return (s, s.warning.map { [$0] } ?? [])
    }

    /// Two extra forward passes (the half steps) per bootstrap row.
    public func flopsPerStep(_ config: TrainingConfig) -> Int {
        let bootstrapRows = min(config.batchSize, Int((config.bootstrapFraction * Float(config.batchSize)).rounded(.down)))
        return trainingFlops(config) + 2 * bootstrapRows * config.shape.forwardFlopsPerRow
    }

    public func metadata(_ config: TrainingConfig) -> [String: String] {
        ["bootstrap_fraction": String(config.bootstrapFraction), "finest_steps": String(config.finestSteps)]
    }

    public func read(_ metadata: [String: String], into config: inout TrainingConfig) throws {
        try readSetting(metadata, "bootstrap_fraction", &config.bootstrapFraction) { Float($0) }
        try readSetting(metadata, "finest_steps", &config.finestSteps) { Int($0) }
    }
}
