import FlowCore

/// Each method's training defaults for the help texts, read from `TrainingConfig(method:)` (and
/// `makeOpenEnded()` for the UI), so the help cannot drift from the method definitions in
/// `Sources/FlowCore/Methods/`: an option whose default is the same for every method states it
/// in its own help; the others say "per method" and the discussion lists every method's values.
enum MethodDefaults {
    /// Every training option by name, with the way to read its value from a configuration.
    static var options: [(name: String, value: (TrainingConfig) -> String)] {
        [
            ("--iterations", { String($0.iterations) }), ("--seed", { String($0.seed) }),
            ("--batch-size", { String($0.batchSize) }), ("--lr", { String($0.learningRate) }),
            ("--warmup", { String($0.warmupIterations) }), ("--lr-decay", { String($0.learningRateDecay) }),
            ("--lr-falloff", { String($0.learningRateFalloff ?? 0) }),
            ("--adam-beta1", { String($0.adamBeta1) }), ("--adam-beta2", { String($0.adamBeta2) }),
            ("--ema-decay", { String($0.emaDecay) }), ("--ema-warmup", { String($0.emaWarmup) }),
            ("--ema-warmup-offset", { String($0.emaWarmupOffset) }),
            ("--width", { String($0.width) }), ("--depth", { String($0.depth) }),
            ("--embedding-size", { String($0.embeddingSize) }), ("--time-scale", { String($0.timeScale) }),
            ("--coupling", { $0.coupling.rawValue }), ("--velocity-target", { $0.velocityTarget.rawValue }),
            ("--bootstrap-fraction", { String($0.bootstrapFraction) }),
            ("--finest-steps", { String($0.finestSteps) }), ("--target", { $0.effectiveTargetWeights.rawValue }),
            ("--teacher-step", { $0.teacherStep.rawValue }), ("--levels", { String($0.levels) }),
            ("--curriculum-start", { String($0.curriculumStart) }), ("--curriculum-end", { String($0.curriculumEnd) }),
            ("--curriculum-iterations", { $0.curriculumIterations.map(String.init) ?? "the planned --iterations" }),
            ("--huber-c", { String($0.huberC) }), ("--flow-share", { String($0.flowShare) }),
            ("--time-mean", { String($0.timeMean) }), ("--time-std", { String($0.timeStd) }),
            ("--weight-power", { String($0.weightPower) }), ("--weight-epsilon", { String($0.weightEpsilon) }),
            (
                "--alpha-iterations",
                { $0.alphaIterations.map(String.init) ?? "a quarter of the planned --iterations" }
            ),
            ("--alpha-gamma", { String($0.alphaGamma) }),
        ]
    }

    /// The defaults of `method`: a planned run (`train`) or one without end (the UI).
    static func config(_ method: Method, openEnded: Bool) -> TrainingConfig {
        var config = TrainingConfig(method: method)
        if openEnded { config.makeOpenEnded() }
        return config
    }

    /// The value of option `name` for `method`.
    static func value(_ name: String, _ method: Method, openEnded: Bool) -> String {
        options.first { $0.name == name }!.value(config(method, openEnded: openEnded))
    }

    /// Whether the default of `name` differs between methods.
    static func varies(_ name: String, openEnded: Bool = false) -> Bool {
        Set(Method.allCases.map { value(name, $0, openEnded: openEnded) }).count > 1
    }

    /// "(default 256)" for an option every method shares, else "(default per method, listed below)".
    static func note(_ name: String, openEnded: Bool = false) -> String {
        varies(name, openEnded: openEnded)
            ? "(default per method, listed below)" : "(default \(value(name, .fm, openEnded: openEnded)))"
    }

    /// The methods an option of one method's own applies to (the others ignore it); options not
    /// named here apply to every method.
    static let appliesTo: [String: Set<Method>] = [
        "--coupling": [.fm, .shortcut, .meanflow], "--velocity-target": [.fm, .shortcut, .meanflow],
        "--target": [.shortcut, .cd, .ct, .meanflow, .psd, .lsd, .alphaflow],
        "--bootstrap-fraction": [.shortcut], "--finest-steps": [.shortcut], "--teacher-step": [.cd], "--levels": [.cd],
        "--curriculum-start": [.ct], "--curriculum-end": [.ct], "--curriculum-iterations": [.ct], "--huber-c": [.cd, .ct],
        "--flow-share": [.meanflow, .psd, .lsd, .alphaflow], "--time-mean": [.meanflow], "--time-std": [.meanflow],
        "--weight-power": [.meanflow],
        "--weight-epsilon": [.meanflow], "--alpha-iterations": [.alphaflow], "--alpha-gamma": [.alphaflow],
    ]

    /// One line per method with the defaults that differ between methods, among the options that
    /// apply to it, e.g. "shortcut: --lr 0.003 --warmup 200 ...". With `plannedToo` (the help of
    /// options shared with `train`, whose notes say "per method" for a planned run) the options
    /// that differ in a planned run are listed too.
    static func list(openEnded: Bool, plannedToo: Bool = false) -> String {
        let varying = options.map(\.name).filter { varies($0, openEnded: openEnded) || (plannedToo && varies($0)) }
        return Method.allCases.map { method in
            let own = varying.filter { appliesTo[$0]?.contains(method) ?? true }
            return "\(method.rawValue): " + own.map { "\($0) \(value($0, method, openEnded: openEnded))" }.joined(separator: " ")
        }.joined(separator: "\n")
    }
}
