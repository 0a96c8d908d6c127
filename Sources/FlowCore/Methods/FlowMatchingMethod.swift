/// Flow matching (Lipman et al. 2023; Liu et al. 2023): the network learns the velocity
/// E[x1 - x0 | x_t]: the Euler baseline and the teacher of consistency distillation (<doc:TimeConventionAndMethods>).
public struct FlowMatchingMethod: MethodDefinition {
    public init() {}
    public var title: String { "flow matching" }
    public var summary: String { "flow matching: regress the velocity x1 - x0 at x_t (Lipman et al. 2023)" }
    public var lossFormula: [String] {
        ["E |v(x_t, t) - (x1 - x0)|^2 with x_t = (1 - t) x0 + t x1, t ~ U(0, 1), x0 noise, x1 data"]
    }
    public var samplerFormula: String { "Euler: x <- x + (1/K) v(x, k/K), k = 0..K-1" }
    public var isStepConditioned: Bool { false }
    public var samplers: [Sampler] { [.euler, .heun, .rk4] }
    public func comparePair(steps: Int) -> [(sampler: Sampler, steps: Int)] { [(.euler, steps), (.heun, steps)] }
    public var compareNote: String { "fm has no shortcut: Euler vs Heun (press m for a shortcut model)" }
    public var jumpToEnd: JumpToEnd { .eulerStep }
    public var isVelocityField: Bool { true }
    public var supportsCoupling: Bool { true }
    public var supportsReflow: Bool { true }

    public func objective(_ config: TrainingConfig, teacher: Model?) -> (objective: any Objective, warnings: [String]) {
        (FlowMatchingObjective(batchVelocity: BatchVelocity(config)), [])
    }

    public func flopsPerStep(_ config: TrainingConfig) -> Int { trainingFlops(config) }

    /// A run of unknown length (the UI, the race, the cd teacher) starts at 5e-3 after 200
    /// warm-up steps and falls off as sqrt(1000 / (1000 + n)): fewer iterations to the
    /// time-to-quality target than a constant 3e-3 on every dataset and seed of the study
    /// (docs/recipes.md, third round). A run of known length keeps 1e-3, which on 8gaussians ends
    /// 5% better at 20,000 iterations than 3e-3 with a cosine decay. It regresses on the batch's
    /// velocity (``VelocityTarget/batch``): about half the iterations to the target (docs/recipes.md,
    /// fifth round).
    public func applyOpenEndedDefaults(to config: inout TrainingConfig) {
        config.velocityTarget = .batch
        config.learningRate = 5e-3
        config.warmupIterations = 200
        config.learningRateFalloff = 1000
    }
}
