import ArgumentParser
import FlowCore
import Foundation

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model and write a checkpoint (safetensors).",
        discussion: """
            fm: flow matching. shortcut: shortcut model (Frans et al. 2024). cd: consistency \
            distillation from a flow-matching --teacher (Song et al. 2023). ct: consistency training \
            with the iCT choices (Song and Dhariwal 2023). final_loss is the mean loss of the last \
            100 iterations.
            """)

    @Option(help: "fm, shortcut, cd or ct.") var method: Method = .fm
    @Option(help: "A dataset name (see `flow-explorer datasets`) or a CSV file of points.") var dataset = "8gaussians"
    @Option(parsing: .unconditional, help: "Training iterations.") var iterations = 20_000
    @Option(parsing: .unconditional, help: "Random seed.") var seed: UInt64 = 0
    @Option(help: "Where to write the checkpoint.") var out: String
    @Option(help: "Flow-matching checkpoint to distil from (cd).") var teacher: String?
    @Option(help: "Checkpoint whose EMA weights to start from (same method and shape).") var `init`: String?
    @Option(parsing: .unconditional, help: "Batch size.") var batchSize = 256
    @Option(parsing: .unconditional, help: "Adam learning rate.") var lr: Float = 1e-3
    @Option(parsing: .unconditional, help: "Linear learning-rate warm-up, in iterations.") var warmup = 0
    @Option(parsing: .unconditional, help: "EMA decay of the sampling weights.") var emaDecay: Float = 0.999
    @Option(parsing: .unconditional, help: "Hidden layer width.") var width = 128
    @Option(parsing: .unconditional, help: "Number of hidden layers.") var depth = 3
    @Option(parsing: .unconditional, help: "Sinusoidal embedding size of t (and d).") var embeddingSize = 32
    @Option(parsing: .unconditional, help: "Shortcut: fraction of each batch used for bootstrap rows.")
    var bootstrapFraction: Float = 0.25
    @Option(parsing: .unconditional, help: "Shortcut: M, the number of finest steps (finest step size 1/M).")
    var finestSteps = 128
    @Option(help: "Weights for self-targets: ema or online (default: ema for shortcut, online for cd/ct).")
    var target: TrainingConfig.TargetWeights?
    @Option(help: "CD: the teacher's ODE step, euler or heun.") var teacherStep: TrainingConfig.TeacherStep = .heun
    @Option(parsing: .unconditional, help: "CD: the number of levels N.") var levels = 32
    @Option(parsing: .unconditional, help: "CT: the curriculum's first N.") var curriculumStart = 8
    @Option(parsing: .unconditional, help: "CT: the curriculum's last N.") var curriculumEnd = 128
    @Option(parsing: .unconditional, help: "CD/CT: c of the pseudo-Huber distance.")
    var huberC: Float = 0.00054 * Float(2).squareRoot()
    @Flag(help: "Print one JSON object.") var json = false

    func run() throws {
        guard iterations >= 0 && iterations <= 100_000_000 else { throw ValidationError("--iterations must be between 0 and 100000000") }
        guard lr > 0 && lr.isFinite else { throw ValidationError("--lr must be a positive number, not \(lr)") }
        var config = TrainingConfig(method: method)
        config.seed = seed
        config.iterations = iterations
        config.batchSize = batchSize
        config.learningRate = lr
        config.warmupIterations = warmup
        config.emaDecay = emaDecay
        config.width = width
        config.depth = depth
        config.embeddingSize = embeddingSize
        config.bootstrapFraction = bootstrapFraction
        config.finestSteps = finestSteps
        config.targetWeights = target
        config.teacherStep = teacherStep
        config.levels = levels
        config.curriculumStart = curriculumStart
        config.curriculumEnd = curriculumEnd
        config.huberC = huberC
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
        let flowLoss = mean(recent.map(\.flowMatchingLoss))
        let bootstrapLoss = mean(recent.map(\.bootstrapLoss))

        var extra = ["learning_rate": String(lr), "batch_size": String(batchSize)]
        if let teacher { extra["teacher"] = URL(fileURLWithPath: teacher).standardizedFileURL.path }
        if method == .shortcut {
            extra["bootstrap_fraction"] = String(bootstrapFraction)
            extra["finest_steps"] = String(finestSteps)
        }
        if method.isConsistency { extra["huber_c"] = String(huberC) }
        try trainer.checkpoint(extra: extra).write(to: out, inputs: inputs)

        if json {
            var fields: [(String, JSON)] = [
                ("method", .string(method.rawValue)), ("dataset", .string(data.name)),
                ("iterations", .integer(iterations)), ("seed", .unsigned(seed)),
                ("seconds", .number(seconds)), ("final_loss", finalLoss.map(JSON.number) ?? .null),
            ]
            if method == .shortcut {
                fields.append(("flow_matching_loss", flowLoss.map(JSON.number) ?? .null))
                fields.append(("bootstrap_loss", bootstrapLoss.map(JSON.number) ?? .null))
            }
            fields.append(("out", .string(out)))
            try Console.line(JSON.object(fields).text)
        } else {
            var line = "\(method.title) on \(data.name): \(iterations) iterations in \(String(format: "%.1f", seconds)) s"
            if let finalLoss { line += String(format: ", final loss %.4f", finalLoss) }
            if let flowLoss, let bootstrapLoss { line += String(format: " (flow matching %.4f, bootstrap %.4f)", flowLoss, bootstrapLoss) }
            try Console.line(line + "; wrote \(SafeText.escaped(out, limit: 240))")
        }
    }
}
