/// Progressive self-distillation (Boffi, Albergo, Vanden-Eijnden 2025; the same loss as
/// SplitMeanFlow): the map over [s, t] learns from the composition of two maps at a random split
/// (``PSDObjective``).
public struct PSDMethod: FlowMapFamily {
    public init() {}
    public var title: String { "progressive self-distillation" }
    public var summary: String {
        "progressive self-distillation: the flow map over [s, t] from two shorter maps (Boffi et al. 2025)"
    }
    public var sampler: Sampler { Sampler(name: "psd", rule: .jump) }
    public var lossFormula: [String] {
        [
            "off-diagonal (s < t): |u(z_s, s, h) - sg[a u1 + (1 - a) u2]|^2, u1 over [s, s + a h], u2 from there to t",
            "diagonal (h = 0): |u(z_s, s, 0) - (x1 - x0)|^2, flow matching",
        ]
    }
    /// Online self-targets: 17% lower one-jump SW2 than EMA ones over three datasets (docs/recipes.md).
    public var defaultTargetWeights: TrainingConfig.TargetWeights { .online }
    /// 45% diagonal rows: at 50% one jump on cos is 1.5 times the shortcut model's by the
    /// 16,384-point check; more off-diagonal rows cost more (docs/recipes.md).
    public var diagonalShare: Float { 0.45 }

    public func objective(_ config: TrainingConfig, teacher: Model?) -> (objective: any Objective, warnings: [String]) {
        (PSDObjective(batchSize: config.batchSize, diagonalShare: config.flowShare), [])
    }

    /// Two target passes per off-diagonal row.
    public func flopsPerStep(_ config: TrainingConfig) -> Int { flops(config, extraPasses: 2) }
}
