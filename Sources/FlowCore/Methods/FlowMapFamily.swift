/// What the flow-map methods (DESIGN.md 3.7: ``PSDMethod``, ``LSDMethod``, ``AlphaFlowMethod``)
/// share: the one network u(z, s, h) that MeanFlow trains, sampled by K jumps
/// x <- x + (1/K) u(x, k/K, 1/K), with a diagonal flow-matching term on a share of the rows
/// (`TrainingConfig.flowShare`) and (s, t) uniform on the triangle for the rest
/// (``FlowMapObjective``). Each method gives its title, summary, sampler, objective and cost.
public protocol FlowMapFamily: MethodDefinition {
    /// The jump sampler, named after the method.
    var sampler: Sampler { get }
    /// The default share of diagonal (flow-matching) rows, `TrainingConfig.flowShare` (0.5 unless a
    /// method says otherwise).
    var diagonalShare: Float { get }
}

extension FlowMapFamily {
    public var samplerFormula: String { "jumps of the flow map: x <- x + (1/K) u(x, k/K, 1/K), k = 0..K-1" }
    public var diagonalShare: Float { 0.5 }
    public var isStepConditioned: Bool { true }
    public var samplers: [Sampler] { [sampler, .euler] }
    public func comparePair(steps: Int) -> [(sampler: Sampler, steps: Int)] { [(.euler, steps), (sampler, steps)] }
    public var compareNote: String { "same noise; Euler on u at h=0 vs jumps of the flow map over h=1/K" }
    public var jumpToEnd: JumpToEnd { .interval }
    public var lossParts: (first: String, second: String)? { ("diagonal (flow matching)", "off-diagonal (s < t)") }
    public var workspaceRowsPerBatchRow: Int { 2 }

    /// The shared defaults, measured in docs/recipes.md ("The flow-map lab"): time features of
    /// scale 1 (at 1,000 one-jump SW2 was 6% worse for PSD), the method's diagonal share, the
    /// learning rate 3e-3 after 200 warm-up steps with a cosine decay over a planned run, and the
    /// EMA warm-up.
    public func applyDefaults(to config: inout TrainingConfig) {
        config.timeScale = 1
        config.flowShare = diagonalShare
        config.learningRate = 3e-3
        config.warmupIterations = 200
        config.learningRateDecay = true
        config.emaWarmup = true
    }

    /// A run of unknown length (the UI, the race): 5e-3 falling off as sqrt(1000 / (1000 + n))
    /// after the warm-up: one jump gets good sooner than at a constant 3e-3 (PSD 9 to 13% lower SW2
    /// on 8gaussians from 2,000 to 4,000 iterations, LSD and AlphaFlow about 12% at 2,000 and
    /// within a few percent after; docs/recipes.md, third round).
    public func applyOpenEndedDefaults(to config: inout TrainingConfig) { applyOpenEndedRate(to: &config) }

    /// The learning rate of `applyOpenEndedDefaults(to:)`.
    public func applyOpenEndedRate(to config: inout TrainingConfig) {
        config.learningRate = 5e-3
        config.learningRateFalloff = 1000
    }

    public func problem(_ config: TrainingConfig) -> String? {
        if !(config.flowShare >= 0 && config.flowShare <= 1) { return "the share of diagonal rows must be in [0, 1]" }
        return nil
    }

    /// The forward and backward pass of the batch and `extraPasses` forward passes per
    /// off-diagonal row (``FlowMapObjective``).
    func flops(_ config: TrainingConfig, extraPasses: Int) -> Int {
        let off = FlowMapObjective.offDiagonalRows(batchSize: config.batchSize, diagonalShare: config.flowShare)
        return trainingFlops(config) + extraPasses * off * config.shape.forwardFlopsPerRow
    }

    public func metadata(_ config: TrainingConfig) -> [String: String] { ["flow_share": String(config.flowShare)] }

    public func read(_ metadata: [String: String], into config: inout TrainingConfig) throws {
        try readSetting(metadata, "flow_share", &config.flowShare) { Float($0) }
    }
}
