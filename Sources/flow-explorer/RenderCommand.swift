import ArgumentParser
import ExplorerApp
import FlowCore
import Foundation
import TerminalCanvas

extension ViewKind: ExpressibleByArgument {
    public init?(argument: String) {
        guard let kind = ViewKind.allCases.first(where: { $0.slug == argument.lowercased() }) else { return nil }
        self = kind
    }
    /// The views `render` draws: every one but the race, which trains live.
    public static var allValueStrings: [String] { allCases.filter { !$0.showsRace }.map(\.slug) }
}

/// Output formats of `render`.
enum RenderFormat: String, ExpressibleByArgument, CaseIterable {
    case text, svg
}

/// `flow-explorer render`: one frame of a UI view as plain text (without ncurses) or as SVG.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Print one frame of a UI view as plain text or SVG (no terminal needed).",
        discussion: "With --dataset instead of a checkpoint, the model is an untrained flow-matching network (iteration 0).")

    @Argument(help: "A checkpoint written by `flow-explorer train`.") var file: String?
    @Option(help: "Dataset to show with an untrained model, instead of a checkpoint.") var dataset: String?
    @Option(help: "The view to draw (default: samples).") var view: ViewKind?
    @Option(parsing: .unconditional, help: "Frame width in cells.") var width = 100
    @Option(parsing: .unconditional, help: "Frame height in cells.") var height = 32
    @Option(parsing: .unconditional, help: "Number of steps K (1 to 128).") var steps = 1
    @Option(parsing: .unconditional, help: "Points per picture.") var count = 4096
    @Option(help: "Seed of the noise.") var seed: UInt64 = 0
    @Option(parsing: .unconditional, help: "The truth view's probe point x0 as x,y (e.g. 0.5,-1 or -0.5,1).")
    var probe: String?
    @Option(parsing: .unconditional, help: "The flow-map view's highlighted cell as s,t on eighths, s < t (default 0,1).")
    var cell: String?
    @Flag(help: "ASCII characters only.") var ascii = false
    @Option(help: "How plots draw their points: braille, half-block, density or ascii (as in the UI).")
    var plot: PlotMode = .braille
    @Option(help: "text (the terminal frame) or svg (a picture for slides).") var format: RenderFormat = .text
    @Option(help: "Write to this file (atomically) instead of stdout.") var out: String?

    func run() throws {
        let view = self.view ?? .samples
        guard case .model(let extras) = view.needs else {
            throw ValidationError("the race trains every method live: open it with `flow-explorer` (no arguments)")
        }
        guard Sampler.stepRange.contains(steps) else {
            throw ValidationError("--steps must be between 1 and \(Sampler.stepRange.upperBound)")
        }
        guard (10...1000).contains(width), (5...500).contains(height) else {
            throw ValidationError("--width must be 10...1000 and --height 5...500")
        }
        guard (64...100_000).contains(count) else { throw ValidationError("--count must be between 64 and 100000") }
        let probePoint = try probe.map(parseProbe)
        let highlighted = try cell.map(parseCell)
        if let out { try AtomicFile.checkTarget(out, inputs: [file, dataset].compactMap { $0 }) }
        let method: Method
        let datasetName: String
        let model: Model
        let iteration: Int
        let data: Dataset
        var coupling = Coupling.independent
        if let file {
            guard dataset == nil else { throw ValidationError("give a checkpoint or --dataset, not both") }
            let checkpoint = try Checkpoint.read(path: file)
            method = checkpoint.method
            datasetName = checkpoint.dataset
            data = try checkpoint.loadDataset(path: file)
            model = Model(checkpoint: checkpoint)
            iteration = checkpoint.iterations
            coupling = try TrainingConfig(checkpoint: checkpoint).coupling
        } else if let dataset {
            data = try Dataset.named(dataset)
            let trainer = try Trainer(
                config: {
                    var c = TrainingConfig(method: .fm)
                    c.seed = seed
                    return c
                }(), dataset: data)
            method = .fm
            datasetName = dataset
            model = Model(trainer: trainer)
            iteration = 0
        } else {
            throw ValidationError("give a checkpoint FILE or --dataset NAME")
        }
        let builder = VisualsBuilder(dataset: data, count: count, seed: seed)
        var snapshot = Snapshot(method: method, dataset: datasetName, seed: seed)
        snapshot.iteration = iteration
        let truth = !extras.isEmpty ? TruthField(dataset: data, seed: seed, bounds: builder.bounds) : nil
        snapshot.visuals = builder.build(
            model: model, method: method, steps: steps, iteration: iteration, truth: truth, extras: extras)
        var state = AppState(
            size: Size(width: width, height: height), method: method, dataset: datasetName, seed: seed,
            ascii: ascii, palette: .monochrome)
        state.view = view
        state.rendered = true
        state.plotMode = plot
        state.ascii = state.ascii || plot == .ascii
        state.steps = steps
        state.coupling = coupling
        state.snapshot = snapshot
        if let probePoint, let truthVisual = snapshot.visuals?.truth {
            state.probe = probePoint
            state.probeReading = ProbeReading(truth: truthVisual, start: probePoint)
        }
        if let highlighted {
            // A consistency model has the cells with t = 1 only.
            if let map = snapshot.visuals?.flowMap, map.cell(from: highlighted.start, to: highlighted.end) == nil {
                throw ValidationError(
                    "--cell: this \(method.rawValue) model has no map to t = \(highlighted.end)/8 (a consistency model maps to t = 1 only)"
                )
            }
            state.flowMapStart = highlighted.start
            state.flowMapEnd = highlighted.end
        }
        let output: String
        switch format {
        case .text: output = ExplorerApp.view(state).trimmedLines.joined(separator: "\n") + "\n"
        case .svg: output = SVGExport.document(state) ?? ""
        }
        if let out {
            try AtomicFile.write(Data(output.utf8), to: out, inputs: [file, dataset].compactMap { $0 })
        } else {
            try Console.out(output)
        }
    }
}
