import FlowCore
import Foundation

extension BenchCommand {
    /// `bench --time-to-quality`: one row per method and dataset (see `TimeToQuality`).
    func runTimeToQuality(_ methods: [Method]) throws {
        let datasets = try dataset.split(separator: ",").map { try Dataset.named(String($0)) }
        var measure = TimeToQuality()
        measure.teacherIterations = teacherIterations
        var rows: [JSON] = []
        if !json {
            let times = measure.checkpoints.map { "SW2@\(format($0, 0))s" }.joined(separator: " ")
            try Console.line("method     dataset       target  seconds  \(times)")
        }
        for data in datasets {
            for method in methods {
                let target = TimeToQuality.target(method: method, dataset: data.name)
                var config = try options.config(for: method)
                if let threads { config.threads = threads }
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
