import ArgumentParser
import FlowCore
import Foundation

extension BenchCommand {
    /// `bench --time-to-quality`: one row per method and dataset (see `TimeToQuality`). Every
    /// option is checked before the first line is printed or the first step trained: the
    /// methods, the datasets, the teacher's iterations and each method's configuration.
    func runTimeToQuality(_ chosen: [(Method, Coupling)], threads: Int?) throws {
        if chosen.contains(where: { $0.1 == .ot }) {
            throw ValidationError("fm-ot is a row of the throughput bench; with --time-to-quality give --coupling ot")
        }
        let methods = chosen.map(\.0)
        let names = datasets.split(separator: ",").map(String.init)
        guard !names.isEmpty else {
            throw ValidationError("--dataset takes a comma-separated list of datasets, like moons,rings")
        }
        let loaded = try names.map { try Dataset.named($0) }
        if let teacherIterations, !(0...1_000_000).contains(teacherIterations) {
            throw ValidationError("--teacher-iterations must be between 0 and 1000000, not \(teacherIterations)")
        }
        let configs = try methods.map { try options.config(for: $0, threads: threads, openEnded: true) }
        if let iterationBudget, !(1000...1_000_000).contains(iterationBudget) {
            throw ValidationError("--iteration-budget must be between 1000 and 1000000, not \(iterationBudget)")
        }
        if let evaluationDraws, !(1...16).contains(evaluationDraws) {
            throw ValidationError("--evaluation-draws must be between 1 and 16, not \(evaluationDraws)")
        }
        var measure = TimeToQuality()
        measure.teacherIterations = teacherIterations
        measure.iterationBudget = iterationBudget
        measure.draws = evaluationDraws ?? 1
        // Where SW2 is reported: seconds of training, or iterations with a budget.
        let marks =
            iterationBudget == nil ? measure.checkpoints.map { format($0, 0) } : measure.iterationCheckpoints.map(String.init)
        let unit = iterationBudget == nil ? "s" : "it"
        var rows: [JSON] = []
        if !json {
            let times = marks.map { "SW2@\($0)\(unit)" }.joined(separator: " ")
            try Console.line("method     dataset       target  seconds  iters  \(times)")
        }
        for data in loaded {
            for (method, config) in zip(methods, configs) {
                let target = TimeToQuality.target(method: method, dataset: data.name)
                let result = try measure.run(config: config, dataset: data, target: target)
                let sw2At = zip(marks, result.sw2At).map { ($0, JSON.number(rounded($1))) }
                rows.append(
                    .object([
                        ("method", .string(method.rawValue)), ("dataset", .string(data.name)),
                        ("target_sw2", target.map(JSON.number) ?? .null), ("evaluation_draws", .integer(measure.draws)),
                        ("seconds_to_target", result.secondsToTarget.map { JSON.number(rounded($0)) } ?? .null),
                        ("iterations_to_target", result.iterationsToTarget.map(JSON.integer) ?? .null),
                        (iterationBudget == nil ? "sw2_at" : "sw2_at_iterations", .object(sw2At)),
                        ("settings", .object(config.metadata.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
                        (
                            "curve",
                            .array(result.curve.map { .array([.integer($0.iterations), .number(rounded($0.sw2))]) })
                        ),
                    ]))
                if !json {
                    let line =
                        method.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
                        + " " + data.name.padding(toLength: 12, withPad: " ", startingAt: 0)
                        + " " + (target.map { format($0, 3) } ?? "-").padding(toLength: 7, withPad: " ", startingAt: 0)
                        + " "
                        + (result.secondsToTarget.map { format($0, 2) } ?? "-").padding(toLength: 8, withPad: " ", startingAt: 0)
                        + " "
                        + (result.iterationsToTarget.map(String.init) ?? "-").padding(toLength: 6, withPad: " ", startingAt: 0)
                        + result.sw2At.map { " " + format($0, 3).padding(toLength: 8, withPad: " ", startingAt: 0) }.joined()
                    try Console.line(line)
                }
            }
        }
        if json { try Console.line(JSON.object([("machine", .string(Self.machine())), ("rows", .array(rows))]).text) }
    }

    private func format(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
    private func rounded(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
}
