import ArgumentParser
import FlowCore
import Foundation

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model and write a checkpoint (safetensors).",
        discussion: Method.allCases.map { "\($0.rawValue): \($0.definition.summary)." }.joined(separator: " ")
            + " final_loss is the mean loss of the last 100 iterations. An option left out keeps the"
            + " method's default (docs/recipes.md says how they were chosen).")

    /// The defaults shown in the help (the options themselves default to the method's).
    static let defaults = TrainingConfig(method: .fm)
    /// MeanFlow's own defaults, for its options' help.
    static let meanFlow = TrainingConfig(method: .meanflow)

    @Option(help: "\(Method.names).") var method: Method = .fm
    @Option(parsing: .unconditional, help: "A dataset name (see `flow-explorer datasets`) or a CSV file of points.") var dataset =
        "8gaussians"
    @Option(parsing: .unconditional, help: "Training iterations (default \(defaults.iterations)).") var iterations: Int?
    @Option(parsing: .unconditional, help: "Random seed (default \(defaults.seed)).") var seed: UInt64?
    @Option(help: "Where to write the checkpoint.") var out: String
    @Option(help: "Flow-matching checkpoint to distil from (cd).") var teacher: String?
    @Option(parsing: .unconditional, help: "Checkpoint whose EMA weights to start from (same method and shape).") var `init`:
        String?
    @Option(parsing: .unconditional, help: "Batch size (default \(defaults.batchSize)).") var batchSize: Int?
    @Option(parsing: .unconditional, help: "Adam learning rate (default \(defaults.learningRate)).") var lr: Float?
    @Option(parsing: .unconditional, help: "Linear learning-rate warm-up, in iterations (default \(defaults.warmupIterations)).")
    var warmup: Int?
    @Option(parsing: .unconditional, help: "EMA decay of the sampling weights (default \(defaults.emaDecay)).") var emaDecay:
        Float?
    @Option(parsing: .unconditional, help: "Hidden layer width (default \(defaults.width)).") var width: Int?
    @Option(parsing: .unconditional, help: "Number of hidden layers (default \(defaults.depth)).") var depth: Int?
    @Option(parsing: .unconditional, help: "Sinusoidal embedding size of t (and d) (default \(defaults.embeddingSize)).")
    var embeddingSize: Int?
    @Option(
        parsing: .unconditional,
        help:
            "Scale c of the time features sin(c t f_k), cos(c t f_k) (default \(defaults.timeScale); meanflow \(meanFlow.timeScale))."
    )
    var timeScale: Float?
    @Option(
        parsing: .unconditional,
        help: "Shortcut: fraction of each batch used for bootstrap rows (default \(defaults.bootstrapFraction)).")
    var bootstrapFraction: Float?
    @Option(
        parsing: .unconditional,
        help: "Shortcut: M, the number of finest steps (finest step size 1/M; default \(defaults.finestSteps)).")
    var finestSteps: Int?
    @Option(help: "Weights for self-targets: ema or online (default: ema for shortcut, online otherwise).")
    var target: TrainingConfig.TargetWeights?
    @Option(help: "CD: the teacher's ODE step, euler or heun (default \(defaults.teacherStep.rawValue)).")
    var teacherStep: TrainingConfig.TeacherStep?
    @Option(parsing: .unconditional, help: "CD: the number of levels N (default \(defaults.levels)).") var levels: Int?
    @Option(parsing: .unconditional, help: "CT: the curriculum's first N (default \(defaults.curriculumStart)).")
    var curriculumStart: Int?
    @Option(parsing: .unconditional, help: "CT: the curriculum's last N (default \(defaults.curriculumEnd)).") var curriculumEnd:
        Int?
    @Option(parsing: .unconditional, help: "CD/CT: c of the pseudo-Huber distance (default \(defaults.huberC)).") var huberC:
        Float?
    @Option(
        parsing: .unconditional,
        help: "MeanFlow: the share of rows with h = 0, plain flow matching (default \(defaults.flowShare)).")
    var flowShare: Float?
    @Option(parsing: .unconditional, help: "MeanFlow: mean of the logit-normal law of the times (default \(defaults.timeMean)).")
    var timeMean: Float?
    @Option(parsing: .unconditional, help: "MeanFlow: standard deviation of the logit-normal law (default \(defaults.timeStd)).")
    var timeStd: Float?
    @Option(
        parsing: .unconditional,
        help:
            "MeanFlow: power p of the loss weight 1/(|error|^2 + eps)^p, 0 for none (default \(meanFlow.weightPower); the paper's 1)."
    )
    var weightPower: Float?
    @Option(parsing: .unconditional, help: "MeanFlow: eps of the loss weight (default \(defaults.weightEpsilon)).")
    var weightEpsilon: Float?
    @Option(parsing: .unconditional, help: "Threads for training, 1 to 64 (default: all \(defaults.threads) cores).")
    var threads: Int?
    @Flag(help: "Print one JSON object.") var json = false

    /// The method's defaults with every option that was given.
    var config: TrainingConfig {
        var config = TrainingConfig(method: method)
        func set<T>(_ value: T?, _ key: WritableKeyPath<TrainingConfig, T>) {
            if let value { config[keyPath: key] = value }
        }
        set(seed, \.seed)
        set(iterations, \.iterations)
        set(batchSize, \.batchSize)
        set(lr, \.learningRate)
        set(warmup, \.warmupIterations)
        set(emaDecay, \.emaDecay)
        set(width, \.width)
        set(depth, \.depth)
        set(embeddingSize, \.embeddingSize)
        set(timeScale, \.timeScale)
        set(bootstrapFraction, \.bootstrapFraction)
        set(finestSteps, \.finestSteps)
        set(target, \.targetWeights)
        set(teacherStep, \.teacherStep)
        set(levels, \.levels)
        set(curriculumStart, \.curriculumStart)
        set(curriculumEnd, \.curriculumEnd)
        set(huberC, \.huberC)
        set(flowShare, \.flowShare)
        set(timeMean, \.timeMean)
        set(timeStd, \.timeStd)
        set(weightPower, \.weightPower)
        set(weightEpsilon, \.weightEpsilon)
        set(threads, \.threads)
        return config
    }

    func run() throws {
        let config = self.config
        let iterations = config.iterations
        guard iterations >= 0 && iterations <= 100_000_000 else {
            throw ValidationError("--iterations must be between 0 and 100000000")
        }
        if let lr, !(lr > 0 && lr.isFinite) { throw ValidationError("--lr must be a positive number, not \(lr)") }
        try validateThreads(threads)
        if let problem = config.problem { throw ValidationError(problem) }
        // Everything that can fail is checked before the first step: the output, then the inputs.
        let inputs = [dataset.hasSuffix(".csv") ? dataset : nil, teacher, self.`init`].compactMap { $0 }
        try AtomicFile.checkTarget(out, inputs: inputs)
        let data = try Dataset.named(dataset)
        let teacherCheckpoint = try teacher.map { try Checkpoint.read(path: $0) }
        let initial = try self.`init`.map { try Checkpoint.read(path: $0) }
        let trainer = try Trainer(config: config, dataset: data, teacher: teacherCheckpoint, initial: initial)
        for warning in trainer.warnings { Console.error("warning: \(warning)\n") }

        let progress = ProgressBar(total: iterations, enabled: isatty(STDERR_FILENO) == 1)
        var recent: [StepReport] = []
        let start = Date()
        for i in 0..<iterations {
            let report = trainer.step()
            if let reason = trainer.divergence(report) {
                throw FlowError.badInput(
                    "training diverged at iteration \(i + 1) (\(reason)): \(trainer.divergenceAdvice); nothing was written")
            }
            if recent.count == 100 { recent.removeFirst() }
            recent.append(report)
            progress.update(i + 1, loss: report.loss)
        }
        progress.finish()
        let seconds = Date().timeIntervalSince(start)
        func mean(_ values: [Float?]) -> Double? {
            let v = values.compactMap { $0 }
            return v.isEmpty ? nil : v.reduce(0) { $0 + Double($1) } / Double(v.count)
        }
        let finalLoss = mean(recent.map(\.loss))
        let parts = method.definition.lossParts.map { _ in
            (mean(recent.map(\.flowMatchingLoss)), mean(recent.map(\.bootstrapLoss)))
        }

        var extra: [String: String] = [:]
        if let teacher { extra["teacher"] = URL(fileURLWithPath: teacher).standardizedFileURL.path }
        if let finalLoss { extra["final_loss"] = String(finalLoss) }
        try trainer.checkpoint(extra: extra).write(to: out, inputs: inputs)

        if json {
            var fields: [(String, JSON)] = [
                ("method", .string(method.rawValue)), ("dataset", .string(data.name)),
                ("iterations", .integer(iterations)), ("seed", .unsigned(config.seed)),
                ("seconds", .number(seconds)), ("final_loss", finalLoss.map(JSON.number) ?? .null),
            ]
            if let (first, second) = parts {
                fields.append(("flow_matching_loss", first.map(JSON.number) ?? .null))
                fields.append(("bootstrap_loss", second.map(JSON.number) ?? .null))
            }
            fields.append(("out", .string(out)))
            try Console.line(JSON.object(fields).text)
        } else {
            var line = "\(method.title) on \(data.name): \(iterations) iterations in \(String(format: "%.1f", seconds)) s"
            if let finalLoss { line += String(format: ", final loss %.4f", finalLoss) }
            if let names = method.definition.lossParts, let (first, second) = parts, let first, let second {
                line += " (\(names.first) \(String(format: "%.4f", first)), \(names.second) \(String(format: "%.4f", second)))"
            }
            try Console.line(line + "; wrote \(SafeText.escaped(out, limit: 240))")
        }
    }
}
