import ArgumentParser
import FlowCore
import Foundation

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model and write a checkpoint (safetensors).",
        discussion: Method.allCases.map(Self.explanation).joined(separator: "\n\n")
            + "\n\nfinal_loss is the mean loss of the last 100 iterations. An option left out keeps the"
            + " method's default (docs/recipes.md says how they were chosen). \(memoryNote)"
            + "\n\nThe defaults that differ per method:\n" + MethodDefaults.list(openEnded: false))

    /// What `method` is, the loss it minimises and its sampler (the UI's `i` panel shows the same).
    static func explanation(_ method: Method) -> String {
        let d = method.definition
        return "\(method.rawValue): \(d.summary). Loss: \(d.lossFormula.joined(separator: "; ")). Sampler: \(d.samplerFormula)."
    }

    /// The memory cap, as the help of every command that trains states it.
    static let memoryNote =
        "A run whose memory estimate (from width, depth, batch size and threads) is over"
        + " \(TrainingConfig.memoryCap >> 30) GiB is refused before it starts."

    @Option(help: "\(Method.names).") var method: Method = .fm
    @Option(
        help:
            "A dataset name (see `flow-explorer datasets`) or a CSV file of points (default: 8gaussians; with --reflow the source's)."
    )
    var dataset: String?
    @Option(help: "Where to write the checkpoint.") var out: String
    @Option(help: "Flow-matching checkpoint to distil from (cd).") var teacher: String?
    @Option(help: "Checkpoint whose EMA weights to start from (same method and shape).") var `init`: String?
    @Option(
        help:
            "Reflow (Liu et al. 2022, fm only): train on the pairs (x0, X(x0, 0, 1)) of this flow-matching checkpoint, starting from its weights; the round is the checkpoint's plus one."
    )
    var reflow: String?
    @Option(
        parsing: .unconditional,
        help: "Reflow: the pairs made up front, which the batches draw from (default \(TrainingConfig.defaultReflowPairs)).")
    var reflowPairs: Int?
    @Option(
        parsing: .unconditional,
        help: "Reflow: the RK4 steps that integrate the source from x0 to X(x0, 0, 1) (default \(ReflowPairs.steps)).")
    var reflowSteps: Int?
    @OptionGroup var options: TrainingOptions
    @Option(
        parsing: .unconditional,
        help:
            "Threads for training, 1 to 64 (default: all \(TrainingConfig(method: .fm).threads) cores; more are clamped to the cores)."
    )
    var threads: Int?
    @Flag(help: "Print one JSON object.") var json = false

    func run() throws {
        var config = try options.config(for: method, threads: try resolveThreads(threads))
        if reflow == nil, reflowPairs != nil || reflowSteps != nil {
            throw ValidationError("--reflow-pairs and --reflow-steps need --reflow FILE")
        }
        if let reflowPairs { config.reflowPairs = reflowPairs }
        if let reflowSteps { config.reflowSteps = reflowSteps }
        // The method is checked before the file is read: --reflow with another method says so.
        if reflow != nil, !method.definition.supportsReflow {
            config.reflowRound = 1
            if let problem = config.problem { throw ValidationError(problem) }
        }
        let iterations = config.iterations
        guard iterations >= 0 && iterations <= 100_000_000 else {
            throw ValidationError("--iterations must be between 0 and 100000000")
        }
        // Everything that can fail is checked before the first step: the output, then the inputs.
        let csv = dataset.flatMap { $0.hasSuffix(".csv") ? $0 : nil }
        let inputs = [csv, teacher, self.`init`, reflow].compactMap { $0 }
        try AtomicFile.checkTarget(out, inputs: inputs)
        let reflowSource = try reflow.map { try Checkpoint.read(path: $0) }
        if let reflowSource { try config.reflow(from: reflowSource) }
        let data = try Dataset.named(dataset ?? reflowSource?.dataset ?? "8gaussians")
        let teacherCheckpoint = try teacher.map { try Checkpoint.read(path: $0) }
        let initial = try self.`init`.map { try Checkpoint.read(path: $0) }
        let start = Date()  // a reflow run's seconds include making its pairs
        let trainer = try Trainer(
            config: config, dataset: data, teacher: teacherCheckpoint, initial: initial, reflowSource: reflowSource)
        for warning in trainer.warnings { Console.error("warning: \(warning)\n") }

        let progress = ProgressBar(total: iterations, enabled: isatty(STDERR_FILENO) == 1)
        var recent: [StepReport] = []
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
        if let reflow { extra["reflow_source"] = URL(fileURLWithPath: reflow).standardizedFileURL.path }
        if let finalLoss { extra["final_loss"] = String(finalLoss) }
        try trainer.checkpoint(extra: extra).write(to: out, inputs: inputs)

        if json {
            var fields: [(String, JSON)] = [
                ("method", .string(method.rawValue)), ("dataset", .string(data.name)),
                ("iterations", .integer(iterations)), ("seed", .unsigned(config.seed)),
                ("seconds", .number(seconds)), ("final_loss", finalLoss.map(JSON.number) ?? .null),
            ]
            if config.reflowRound > 0 { fields.append(("reflow_round", .integer(config.reflowRound))) }
            if let (first, second) = parts {
                fields.append(("flow_matching_loss", first.map(JSON.number) ?? .null))
                fields.append(("bootstrap_loss", second.map(JSON.number) ?? .null))
            }
            fields.append(("out", .string(out)))
            try Console.line(JSON.object(fields).text)
        } else {
            var line = "\(method.title) on \(data.name): \(iterations) iterations in \(String(format: "%.1f", seconds)) s"
            if config.reflowRound > 0 { line = "reflow round \(config.reflowRound), " + line }
            if let finalLoss { line += String(format: ", final loss %.4f", finalLoss) }
            if let names = method.definition.lossParts, let (first, second) = parts, let first, let second {
                line += " (\(names.first) \(String(format: "%.4f", first)), \(names.second) \(String(format: "%.4f", second)))"
            }
            try Console.line(line + "; wrote \(SafeText.escaped(out, limit: 240))")
        }
    }
}
