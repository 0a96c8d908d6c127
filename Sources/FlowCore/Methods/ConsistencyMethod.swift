/// Consistency models (Song, Dhariwal, Chen, Sutskever 2023; iCT, Song and Dhariwal 2023;
/// <doc:TimeConventionAndMethods>): f(x, t) = x + (1 - t) F(x, t) maps every point of a PF-ODE path to its data end.
/// Distillation (cd) takes the neighbouring point from one ODE step of a flow-matching teacher;
/// training (ct) from the same (x0, x1) pair, with a curriculum of levels.
public struct ConsistencyMethod: MethodDefinition {
    /// True for consistency distillation (cd), false for consistency training (ct).
    public let distilled: Bool

    /// The definition of cd (`distilled`) or ct.
    public init(distilled: Bool) { self.distilled = distilled }

    public var title: String { distilled ? "consistency distillation" : "consistency training" }
    public var summary: String {
        distilled
            ? "consistency distillation from a flow-matching --teacher (Song et al. 2023)"
            : "consistency training with the iCT choices, no teacher (Song and Dhariwal 2023)"
    }
    public var lossFormula: [String] {
        distilled
            ? [
                "d(f(x_t', t'), sg f(x_t, t)): x_t one Heun step of the fm teacher back from x_t', neighbouring",
                "levels t < t' of N; f(x, t) = x + (1 - t) F(x, t), d the pseudo-Huber distance",
            ]
            : [
                "d(f(x_t', t'), sg f(x_t, t)): x_t and x_t' on the same (x0, x1) line at neighbouring levels",
                "t < t'; N grows along the curriculum; f(x, t) = x + (1 - t) F(x, t), d pseudo-Huber",
            ]
    }
    public var samplerFormula: String { "x1 = f(x0, 0); K > 1: back to the noise at level k/K, then f again" }
    public var isStepConditioned: Bool { false }
    public var samplers: [Sampler] { [.consistency] }
    public func comparePair(steps: Int) -> [(sampler: Sampler, steps: Int)] { [(.consistency, 1), (.consistency, steps)] }
    public var compareNote: String { "consistency: 1 step vs K steps with re-noising" }
    public var jumpToEnd: JumpToEnd { .consistencyFunction }
    public var teacher: Method? { distilled ? .fm : nil }
    public var teacherIterations: Int { distilled ? 8000 : 0 }
    public func targetEMADecay(_ config: TrainingConfig) -> Float? { config.consistencyTargetDecay }

    /// A run of unknown length: CT's curriculum doubles N from 16 to 128 over 4,000 iterations
    /// instead of from 8 over the planned run, and CT starts at 2e-3 falling off as sqrt(1000 /
    /// (1000 + n)) with a sampling EMA of 0.995 (docs/recipes.md, second, third and fifth rounds:
    /// 8 to 128 over 5,000 took 4,900 iterations to the target on 8gaussians, this 2,200). CD
    /// keeps its rate.
    public func applyOpenEndedDefaults(to config: inout TrainingConfig) {
        guard !distilled else { return }
        config.curriculumStart = 16
        config.curriculumIterations = 4000
        config.learningRate = 2e-3
        config.learningRateFalloff = 1000
        config.emaDecay = 0.995
    }

    /// CT's: the iterations over which N doubles from its start to its end; CD has none.
    public func curriculumIterations(_ config: TrainingConfig) -> Int {
        distilled ? 0 : config.curriculumIterations ?? config.iterations
    }

    public func problem(_ config: TrainingConfig) -> String? {
        if distilled && (config.levels < 1 || config.levels > 1 << 16) { return "levels must be between 1 and 65536" }
        if !distilled
            && (config.curriculumStart < 1 || config.curriculumEnd < config.curriculumStart || config.curriculumEnd > 1 << 16)
        {
            return "the curriculum must go from at least 1 level up to at most 65536"
        }
        if let length = config.curriculumIterations, length < 1 { return "the curriculum needs at least 1 iteration" }
        if !(config.huberC >= 0) || !config.huberC.isFinite { return "the pseudo-Huber c must be a non-negative number" }
        if !(config.consistencyTargetDecay >= 0 && config.consistencyTargetDecay < 1) { return "target decay must be in [0, 1)" }
        return nil
    }

    public func objective(_ config: TrainingConfig, teacher: Model?) -> (objective: any Objective, warnings: [String]) {
        let levelsAt: @Sendable (Int) -> Int
        if distilled {
            let n = config.levels
            levelsAt = { _ in n }
        } else {
            levelsAt = ConsistencyObjective.curriculum(
                start: config.curriculumStart, end: config.curriculumEnd, total: curriculumIterations(config))
        }
        let objective = ConsistencyObjective(
            batchSize: config.batchSize, teacher: distilled ? teacher : nil, teacherStep: config.teacherStep,
            huberC: config.huberC, levelsAt: levelsAt, shards: config.shardCount)
        return (objective, [])
    }

    /// One target pass per row, and for cd the teacher's one or two passes.
    public func flopsPerStep(_ config: TrainingConfig) -> Int {
        let teacherPasses = distilled ? (config.teacherStep == .heun ? 2 : 1) : 0
        return trainingFlops(config) + config.batchSize * config.shape.forwardFlopsPerRow * (1 + teacherPasses)
    }

    public func metadata(_ config: TrainingConfig) -> [String: String] {
        var settings = ["huber_c": String(config.huberC), "target_decay": String(config.consistencyTargetDecay)]
        if distilled {
            settings["levels"] = String(config.levels)
            settings["teacher_step"] = config.teacherStep.rawValue
        } else {
            settings["curriculum_start"] = String(config.curriculumStart)
            settings["curriculum_end"] = String(config.curriculumEnd)
            if let length = config.curriculumIterations { settings["curriculum_iterations"] = String(length) }
        }
        return settings
    }

    public func read(_ metadata: [String: String], into config: inout TrainingConfig) throws {
        try readSetting(metadata, "huber_c", &config.huberC) { Float($0) }
        try readSetting(metadata, "target_decay", &config.consistencyTargetDecay) { Float($0) }
        try readSetting(metadata, "levels", &config.levels) { Int($0) }
        try readSetting(metadata, "teacher_step", &config.teacherStep) { TrainingConfig.TeacherStep(rawValue: $0) }
        try readSetting(metadata, "curriculum_start", &config.curriculumStart) { Int($0) }
        try readSetting(metadata, "curriculum_end", &config.curriculumEnd) { Int($0) }
        try readSetting(metadata, "curriculum_iterations", &config.curriculumIterations) { Int($0) }
    }
}
