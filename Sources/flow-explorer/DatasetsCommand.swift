import ArgumentParser
import FlowCore
import Foundation

struct DatasetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datasets",
        abstract: "List the built-in 2D datasets, or write points of one (--sample) to a CSV or .npy file.")

    @Option(help: "Write points of this dataset (a name or a CSV file) instead of listing them; needs --out.")
    var sample: String?
    @Option(parsing: .unconditional, help: "Number of points for --sample.") var count = 4096
    @Option(help: "Seed of the points for --sample.") var seed: UInt64 = 0
    @Option(help: "Output file of --sample, .csv or .npy.") var out: String?

    func run() throws {
        if let sample { return try write(sample) }
        guard out == nil else { throw ValidationError("--out needs --sample NAME") }
        for toy in ToyDataset.allCases {
            try Console.line(toy.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0) + toy.summary)
        }
        try Console.line(
            "FILE.csv".padding(toLength: 14, withPad: " ", startingAt: 0)
                + "your own points: two numeric columns x,y, header optional, at most \(PointsCSV.maximumRows) rows")
    }

    /// `count` points of `name` drawn with `seed` (stream 32), through the safe write path: the
    /// reference data an independent check compares a model's `sample` output with.
    func write(_ name: String) throws {
        guard let out else { throw ValidationError("--sample needs --out FILE (.csv or .npy)") }
        guard (1...10_000_000).contains(count) else { throw ValidationError("--count must be between 1 and 10000000") }
        guard out.hasSuffix(".csv") || out.hasSuffix(".npy") else { throw ValidationError("--out must end in .csv or .npy") }
        try AtomicFile.checkTarget(out, inputs: [name])
        let dataset = try Dataset.named(name)
        var rng = SplitMix64.stream(seed: seed, 32)
        let points = dataset.sample(count: count, rng: &rng)
        let data = out.hasSuffix(".npy") ? NpyFile.data(points: points) : Data(PointsCSV.text(points).utf8)
        try AtomicFile.write(data, to: out, inputs: [name])
    }
}
