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
        let configs = try methods.map { try options.config(for: $0, threads: threads) }
        var measure = TimeToQuality()
        measure.teacherIterations = teacherIterations
        var rows: [JSON] = []
        if !json {
            let times = measure.checkpoints.map { "SW2@\(format($0, 0))s" }.joined(separator: " ")
            try Console.line("method     dataset       target  seconds  \(times)")
        }
        for data in loaded {
            for (method, config) in zip(methods, configs) {
                let target = TimeToQuality.target(method: method, dataset: data.name)
                let result = try measure.run(config: config, dataset: data, target: target)
                let sw2At = zip(measure.checkpoints, result.sw2At).map { (format($0, 0), JSON.number(rounded($1))) }
                rows.append(
                    .object([
                        ("method", .string(method.rawValue)), ("dataset", .string(data.name)),
                        ("target_sw2", target.map(JSON.number) ?? .null),
                        ("seconds_to_target", result.secondsToTarget.map { JSON.number(rounded($0)) } ?? .null),
                        ("iterations_to_target", result.iterationsToTarget.map(JSON.integer) ?? .null),
                        ("sw2_at", .object(sw2At)),
                    ]))
                if !json {
                    let line =
                        method.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
                        + " " + data.name.padding(toLength: 12, withPad: " ", startingAt: 0)
                        + " " + (target.map { format($0, 3) } ?? "-").padding(toLength: 7, withPad: " ", startingAt: 0)
                        + " "
                        + (result.secondsToTarget.map { format($0, 2) } ?? "-").padding(toLength: 8, withPad: " ", startingAt: 0)
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
