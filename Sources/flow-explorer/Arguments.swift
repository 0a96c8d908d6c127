import ArgumentParser
import FlowCore
import Foundation

extension Method: ExpressibleByArgument {}
extension TrainingConfig.TargetWeights: ExpressibleByArgument {}
extension TrainingConfig.TeacherStep: ExpressibleByArgument {}
extension Coupling: ExpressibleByArgument {}

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

/// Parses "1,2,4,128" into step counts, each between 1 and 4096.
func parseSteps(_ text: String) throws -> [Int] {
    let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    let steps = parts.compactMap { Int($0) }
    guard !parts.isEmpty, steps.count == parts.count, steps.allSatisfy({ (1...4096).contains($0) }) else {
        throw ValidationError("--steps takes a comma-separated list of step counts from 1 to 4096, like 1,2,4,128")
    }
    return steps
}

/// Checks `--lr`: nil (the method's default) or a positive, finite number.
func validateLearningRate(_ lr: Float?) throws {
    if let lr, !(lr > 0 && lr.isFinite) { throw ValidationError("--lr must be a positive number, not \(lr)") }
}

/// Checks `--threads`: nil (all cores) or 1 to `TrainingConfig.maximumThreads`.
func validateThreads(_ threads: Int?) throws {
    guard let threads else { return }
    guard (1...TrainingConfig.maximumThreads).contains(threads) else {
        throw ValidationError("--threads must be between 1 and \(TrainingConfig.maximumThreads), not \(threads)")
    }
}
