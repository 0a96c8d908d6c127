/// AlphaFlow (Zhang et al. 2026): a curriculum from flow matching on intervals to MeanFlow, whose
/// two loss parts fight each other early in training (``AlphaFlowObjective``).
public struct AlphaFlowMethod: FlowMapFamily {
    public init() {}
    public var title: String { "AlphaFlow" }
    public var summary: String {
        "AlphaFlow: a curriculum from flow matching on intervals to MeanFlow (Zhang et al. 2026)"
    }
    public var sampler: Sampler { Sampler(name: "alphaflow", rule: .jump) }
    public var lossFormula: [String] {
        [
            "off-diagonal: |u(z_s, s, h) - [a v + (1 - a) sg u(z_s + a h v, s + a h, (1 - a) h)]|^2 / a, v = x1 - x0",
            "a falls from 1 (flow matching on intervals) to 0 (MeanFlow); diagonal (h = 0): flow matching",
        ]
    }
    /// Online self-targets: the 1 / alpha weight assumes that the target network is the online
    /// one (then the residual shrinks like alpha); with EMA targets 14 of the study's 15 runs
    /// diverged once alpha was small (docs/recipes.md).
    public var defaultTargetWeights: TrainingConfig.TargetWeights { .online }
    /// 60% diagonal rows: 4% lower one-jump SW2 than 50% over three datasets, and a cheaper step.
    public var diagonalShare: Float { 0.6 }

    /// The iterations of the curriculum: `alphaIterations`, else a quarter of the planned run (the
    /// best of a quarter, a half and three quarters in docs/recipes.md).
    public func curriculumIterations(_ config: TrainingConfig) -> Int { config.alphaIterations ?? config.iterations / 4 }

    /// A run of unknown length lays the curriculum over 2,000 iterations: one jump is good from
    /// about 2,000 iterations on instead of 3,000 with 4,000, and as good at 6,000 (docs/recipes.md,
    /// third round); the family's open-ended learning rate (``FlowMapFamily/applyOpenEndedRate(to:)``).
    public func applyOpenEndedDefaults(to config: inout TrainingConfig) {
        applyOpenEndedRate(to: &config)
        config.alphaIterations = 2000
    }

    public func problem(_ config: TrainingConfig) -> String? {
        if !(config.flowShare >= 0 && config.flowShare <= 1) { return "the share of diagonal rows must be in [0, 1]" }
        if let n = config.alphaIterations, n < 0 { return "the alpha curriculum's iterations must not be negative" }
        if !(config.alphaGamma > 0) || !config.alphaGamma.isFinite { return "the alpha curriculum's gamma must be positive" }
        return nil
    }

    public func objective(_ config: TrainingConfig, teacher: Model?) -> (objective: any Objective, warnings: [String]) {
        let objective = AlphaFlowObjective(
            batchSize: config.batchSize, diagonalShare: config.flowShare,
            curriculumIterations: curriculumIterations(config), gamma: config.alphaGamma)
        let warning =
            "AlphaFlow with EMA self-targets: its 1/alpha weight expects the online network's targets, "
            + "and 14 of 15 such runs in the study diverged once alpha was small (docs/recipes.md)"
        return (objective, config.effectiveTargetWeights == .ema ? [warning] : [])
    }

    /// One target pass per off-diagonal row while alpha is in (0, 1); the MeanFlow phase's
    /// forward-mode pass is two.
    public func flopsPerStep(_ config: TrainingConfig) -> Int { flops(config, extraPasses: 2) }

    public func metadata(_ config: TrainingConfig) -> [String: String] {
        [
            "flow_share": String(config.flowShare), "alpha_iterations": String(curriculumIterations(config)),
            "alpha_gamma": String(config.alphaGamma),
        ]
    }

    public func read(_ metadata: [String: String], into config: inout TrainingConfig) throws {
        try readSetting(metadata, "flow_share", &config.flowShare) { Float($0) }
        try readSetting(metadata, "alpha_iterations", &config.alphaIterations) { Int($0) }
        try readSetting(metadata, "alpha_gamma", &config.alphaGamma) { Float($0) }
    }
}
