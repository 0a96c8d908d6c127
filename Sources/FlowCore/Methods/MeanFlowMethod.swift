/// MeanFlow (Geng, Deng, Bai, Kolter, He 2025; <doc:TimeConventionAndMethods>): the step-conditioned network
/// read as u(z, s, h), the average velocity over [s, s + h], learnt from the identity
/// u = v + h d/ds u (see ``MeanFlowObjective``). One jump from noise is x1 = x0 + u(x0, 0, 1).
public struct MeanFlowMethod: MethodDefinition {
    /// K jumps: x <- x + (1/K) u(x, k/K, 1/K).
    public static let sampler = Sampler(name: "meanflow", rule: .jump)

    public init() {}
    public var title: String { "MeanFlow" }
    public var lossFormula: [String] {
        [
            "h > 0 (mean flow): |u(z_s, s, h) - sg[v + h du/ds]|^2, v = x1 - x0, du/ds the JVP of u along (v, 1, -1)",
            "h = 0 (flow matching): |u(z_s, s, 0) - v|^2",
        ]
    }
    public var samplerFormula: String { "jumps: x <- x + (1/K) u(x, k/K, 1/K), k = 0..K-1" }
    public var summary: String { "MeanFlow: the average velocity over an interval from a derivative identity (Geng et al. 2025)" }
    public var isStepConditioned: Bool { true }
    public var samplers: [Sampler] { [Self.sampler, .euler] }
    public func comparePair(steps: Int) -> [(sampler: Sampler, steps: Int)] { [(.euler, steps), (Self.sampler, steps)] }
    public var compareNote: String { "same noise; Euler on u at h=0 vs MeanFlow jumps of h=1/K" }
    public var jumpToEnd: JumpToEnd { .interval }
    public var lossParts: (first: String, second: String)? { ("h=0 (flow matching)", "h>0 (mean flow)") }
    public var workspaceRowsPerBatchRow: Int { 2 }

    /// Time features of scale 1 (nearly linear in s and h: the target carries their derivative,
    /// which at the shared scale of 1000 reaches 1000 per unit of time) and no adaptive weight
    /// (with p = 1 the h = 0 rows learn a mode-seeking average instead of the velocity). Measured in
    /// docs/recipes.md.
    public func applyDefaults(to config: inout TrainingConfig) {
        config.timeScale = 1
        config.weightPower = 0
    }

    /// A run of unknown length (the UI, the race) starts at 5e-3 after 200 warm-up steps and falls
    /// off as sqrt(1000 / (1000 + n)): fewer iterations to the time-to-quality target than the
    /// constant 1e-3 on all five datasets of the study (docs/recipes.md, second and third rounds).
    /// v_bar is the batch's velocity (``VelocityTarget/batch``; fifth round: moons 1,300 iterations
    /// instead of 3,500).
    public func applyOpenEndedDefaults(to config: inout TrainingConfig) {
        config.velocityTarget = .batch
        config.learningRate = 5e-3
        config.warmupIterations = 200
        config.learningRateFalloff = 1000
    }

    /// The largest power p of the adaptive weight: the paper's 1. At p = 2 the weighted loss
    /// falls to 0 while the plain losses grow a hundredfold in 2,000 steps; at 5 training diverges.
    public static let maximumWeightPower: Float = 1

    public func problem(_ config: TrainingConfig) -> String? {
        if !(config.flowShare >= 0 && config.flowShare <= 1) { return "the share of h = 0 rows must be in [0, 1]" }
        if !config.timeMean.isFinite || !(config.timeStd >= 0) || !config.timeStd.isFinite {
            return "the time law needs a finite mean and a non-negative, finite standard deviation"
        }
        if !(config.weightPower >= 0 && config.weightPower <= Self.maximumWeightPower) {
            return "the weight power must be in [0, \(Int(Self.maximumWeightPower))] (the paper: 1; above 1 the weight "
                + "favours the worst rows and training falls apart), not \(config.weightPower)"
        }
        if !(config.weightEpsilon > 0) || !config.weightEpsilon.isFinite { return "the adaptive weight needs an eps > 0" }
        return nil
    }

    public var supportsCoupling: Bool { true }

    public func objective(_ config: TrainingConfig, teacher: Model?) -> (objective: any Objective, warnings: [String]) {
        let objective = MeanFlowObjective(
            batchSize: config.batchSize, flowShare: config.flowShare, timeMean: config.timeMean, timeStd: config.timeStd,
            weightPower: config.weightPower, weightEpsilon: config.weightEpsilon,
            batchVelocity: BatchVelocity(config))
        return (objective, [])
    }

    /// The forward-mode pass is a forward pass of double height (the primal half is the training
    /// forward pass), so one extra forward pass per row.
    public func flopsPerStep(_ config: TrainingConfig) -> Int {
        trainingFlops(config) + config.batchSize * config.shape.forwardFlopsPerRow
    }

    public func metadata(_ config: TrainingConfig) -> [String: String] {
        [
            "flow_share": String(config.flowShare), "time_mean": String(config.timeMean), "time_std": String(config.timeStd),
            "weight_power": String(config.weightPower), "weight_epsilon": String(config.weightEpsilon),
        ]
    }

    public func read(_ metadata: [String: String], into config: inout TrainingConfig) throws {
        try readSetting(metadata, "flow_share", &config.flowShare) { Float($0) }
        try readSetting(metadata, "time_mean", &config.timeMean) { Float($0) }
        try readSetting(metadata, "time_std", &config.timeStd) { Float($0) }
        try readSetting(metadata, "weight_power", &config.weightPower) { Float($0) }
        try readSetting(metadata, "weight_epsilon", &config.weightEpsilon) { Float($0) }
    }
}
