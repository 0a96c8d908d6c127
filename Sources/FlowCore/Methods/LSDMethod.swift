/// Lagrangian self-distillation (Boffi, Albergo, Vanden-Eijnden 2025): the flow map's time
/// derivative at its end must be the velocity there, a loss on the forward-mode derivative du/dh
/// whose gradient flows back through it (``LSDObjective``).
public struct LSDMethod: FlowMapFamily {
    public init() {}
    public var title: String { "Lagrangian self-distillation" }
    public var summary: String {
        "Lagrangian self-distillation: the flow map moves with the velocity at its end (Boffi et al. 2025)"
    }
    public var sampler: Sampler { Sampler(name: "lsd", rule: .jump) }
    public var lossFormula: [String] {
        [
            "off-diagonal (s < t): |u + h du/dh - sg u(X(z_s, s, t), t, 0)|^2, X = z_s + h u(z_s, s, h)",
            "diagonal (h = 0): |u(z_s, s, 0) - (x1 - x0)|^2, flow matching",
        ]
    }
    /// EMA self-targets: with online ones, or with a diagonal share of 0.25, a run can diverge
    /// within the warm-up (docs/recipes.md).
    public var defaultTargetWeights: TrainingConfig.TargetWeights { .ema }
    /// 55% diagonal rows: at 50% four jumps are worse than one on 8gaussians (0.080 against 0.068),
    /// at 60% one jump on the thin datasets falls behind the shortcut model's; 55% passes both on
    /// all ten datasets (docs/recipes.md).
    public var diagonalShare: Float { 0.55 }

    public func objective(_ config: TrainingConfig, teacher: Model?) -> (objective: any Objective, warnings: [String]) {
        (LSDObjective(batchSize: config.batchSize, diagonalShare: config.flowShare), [])
    }

    /// Per off-diagonal row: two target passes, the tangent half of the forward-mode pass and of
    /// its backward pass (a backward pass is about two forward passes): 5 more forward passes.
    public func flopsPerStep(_ config: TrainingConfig) -> Int { flops(config, extraPasses: 5) }
}
