import ArgumentParser
import FlowCore
import Foundation

struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Draw samples from a checkpoint into a CSV (header x,y) or NumPy .npy (<f4, shape (N, 2)) file.")

    @Argument(help: "A checkpoint written by `flow-explorer train`.") var file: String
    @Option(parsing: .unconditional, help: "Number of steps K.") var steps = 1
    @Option(parsing: .unconditional, help: "Number of samples.") var count = 4096
    @Option(help: "Output file, .csv or .npy.") var out: String
    @Option(help: "Sampler (default: the checkpoint's main one, e.g. euler, shortcut, consistency or meanflow).") var sampler:
        String?
    @Option(help: "Seed of the noise.") var seed: UInt64 = 0

    func run() throws {
        guard Sampler.stepRange.contains(steps) else {
            throw ValidationError("--steps must be between 1 and \(Sampler.stepRange.upperBound)")
        }
        guard (1...10_000_000).contains(count) else { throw ValidationError("--count must be between 1 and 10000000") }
        guard out.hasSuffix(".csv") || out.hasSuffix(".npy") else { throw ValidationError("--out must end in .csv or .npy") }
        try AtomicFile.checkTarget(out, inputs: [file])
        let checkpoint = try Checkpoint.read(path: file)
        let chosen =
            try sampler.map { try parseSamplers($0, for: checkpoint.method)[0] } ?? checkpoint.method.definition.mainSampler
        let noise = Evaluation.noise(samples: count, seed: seed)
        var renoise = SplitMix64.stream(seed: seed, Evaluation.renoiseStream)
        let points = chosen.sample(model: Model(checkpoint: checkpoint), noise: noise, steps: steps, rng: &renoise)
        guard points.allSatisfy(\.isFinite) else {
            throw FlowError.badInput("\(SafeText.escaped(file, limit: 240)): the model's samples are not finite numbers")
        }
        let data = out.hasSuffix(".npy") ? NpyFile.data(points: points) : Data(PointsCSV.text(points).utf8)
        try AtomicFile.write(data, to: out, inputs: [file])
    }
}
