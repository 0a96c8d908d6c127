import ArgumentParser
import ExplorerApp
import FlowCore
import Foundation
import TerminalCanvas

extension Method: ExpressibleByArgument {}
extension TrainingConfig.TargetWeights: ExpressibleByArgument {}
extension TrainingConfig.TeacherStep: ExpressibleByArgument {}
extension Coupling: ExpressibleByArgument {}
extension VelocityTarget: ExpressibleByArgument {}
extension RaceLineup: ExpressibleByArgument {}

extension PlotMode: ExpressibleByArgument {
    /// `--plot braille|half-block|density|ascii`.
    public init?(argument: String) {
        guard let mode = PlotMode.allCases.first(where: { $0.argument == argument }) else { return nil }
        self = mode
    }
    public static var allValueStrings: [String] { allCases.map(\.argument) }
    /// The mode's name on the command line.
    var argument: String { self == .halfBlock ? "half-block" : rawValue }
}

/// The samplers named in `text` (comma-separated), each one the checkpoint's method has.
func parseSamplers(_ text: String, for method: Method) throws -> [Sampler] {
    let available = method.definition.samplers
    return try text.split(separator: ",").map { name in
        guard let sampler = available.first(where: { $0.name == name }) else {
            let names = available.map(\.name).joined(separator: ", ")
            throw ValidationError("sampler '\(name)' does not fit a \(method.rawValue) checkpoint (it has \(names))")
        }
        return sampler
    }
}

/// Parses "1,2,4,128" into step counts, each in ``Sampler/stepRange``.
func parseSteps(_ text: String) throws -> [Int] {
    let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    let steps = parts.compactMap { Int($0) }
    guard !parts.isEmpty, steps.count == parts.count, steps.allSatisfy({ Sampler.stepRange.contains($0) }) else {
        throw ValidationError(
            "--steps takes a comma-separated list of step counts from 1 to \(Sampler.stepRange.upperBound), like 1,2,4,128")
    }
    return steps
}

/// Checks `--lr`: nil (the method's default) or a positive, finite number.
func validateLearningRate(_ lr: Float?) throws {
    if let lr, !(lr > 0 && lr.isFinite) { throw ValidationError("--lr must be a positive number, not \(lr)") }
}

/// Checks `--threads` and fits it to the machine: nil keeps the default (all cores, at most
/// `TrainingConfig.maximumThreads`); a count outside 1 to 64 is refused; a count above the cores
/// is clamped to them with a one-line notice on stderr (more threads than cores only slow a step
/// down, and each one costs a workspace).
func resolveThreads(_ threads: Int?) throws -> Int? {
    guard let threads else { return nil }
    guard (1...TrainingConfig.maximumThreads).contains(threads) else {
        throw ValidationError("--threads must be between 1 and \(TrainingConfig.maximumThreads), not \(threads)")
    }
    let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
    guard threads > cores else { return threads }
    Console.error("flow-explorer: note: --threads \(threads) is more than the \(cores) cores of this machine; using \(cores)\n")
    return cores
}

/// Parses the truth view's probe point "x,y": exactly two finite numbers below 1e6 in magnitude,
/// nothing else ("1,abc,2" and "1,,2" are refused, not read as (1, 2)).
func parseProbe(_ text: String) throws -> SIMD2<Float> {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    let values = parts.compactMap { Float($0) }
    guard parts.count == 2, values.count == 2, values.allSatisfy({ $0.isFinite && abs($0) < 1e6 }) else {
        throw ValidationError("--probe takes two numbers x,y, e.g. 0.5,-1 or -0.5,1; not '\(SafeText.escaped(text))'")
    }
    return SIMD2(values[0], values[1])
}

/// `--cell s,t` of `render --view flow-map`: the highlighted cell as grid indices on eighths
/// (`FlowMapError.divisions`), 0 <= s < t <= 1, e.g. "0.125,1" -> (1, 8).
func parseCell(_ text: String) throws -> (start: Int, end: Int) {
    let n = Double(FlowMapError.divisions)
    let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    let steps = parts.compactMap { Double($0) }.filter(\.isFinite).map { $0 * n }
    guard parts.count == 2, steps.count == 2, steps.allSatisfy({ abs($0 - $0.rounded()) < 1e-9 }),
        0 <= steps[0], steps[0] < steps[1], steps[1] <= n
    else {
        throw ValidationError(
            "--cell takes s,t on eighths with 0 <= s < t <= 1, e.g. 0.125,1 or 0,0.5; not '\(SafeText.escaped(text))'")
    }
    return (Int(steps[0].rounded()), Int(steps[1].rounded()))
}

/// The first option of `arguments` (a subcommand's words, before any `--`) given twice, or nil:
/// swift-argument-parser keeps the last silently, so `--dataset a --dataset b` would train on b
/// alone. Every word that starts with `--` counts as an option name (such a value would fail to
/// parse anyway); `--name=value` counts as `--name`.
func repeatedOption(_ arguments: [String]) -> String? {
    var seen = Set<String>()
    for word in arguments {
        if word == "--" { break }
        guard word.hasPrefix("--"), word.count > 2 else { continue }
        let name = String(word.split(separator: "=", maxSplits: 1)[0])
        if !seen.insert(name).inserted { return name }
    }
    return nil
}
