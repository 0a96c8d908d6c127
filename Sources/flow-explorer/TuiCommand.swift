import ArgumentParser
import ExplorerApp
import FlowCore
import Foundation
import NcursesTerminal
import TerminalCanvas

/// `flow-explorer tui`: the live terminal UI (the default subcommand).
struct TuiCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui",
        abstract: "Train a model live and watch it in the terminal (the default). Press ? for keys.",
        discussion: """
            Consistency distillation (cd) needs a flow-matching teacher: with --load of an fm checkpoint \
            that one is used, otherwise the UI first trains an fm teacher for \(Method.cd.definition.teacherIterations) steps.
            """)

    @Option(help: "Dataset: a toy name (see `flow-explorer datasets`) or a CSV file of points.")
    var dataset = "8gaussians"
    @Option(help: "Method: \(Method.names). Without it (and without --load) the UI opens on the race of every method.")
    var method: Method?
    @Option(help: "Training seed.") var seed: UInt64 = 0
    @Option(help: "A checkpoint to start from (its method and dataset are used).") var load: String?
    @Flag(help: "Draw with ASCII characters only.") var ascii = false
    @Option(
        parsing: .unconditional,
        help:
            "Adam learning rate (default: the method's for a run without end, 0.003 for fm and shortcut, else 0.001). Too large a rate makes training diverge: the UI stops and says so."
    )
    var lr: Float?
    @Option(
        parsing: .unconditional,
        help: "Threads for training, 1 to 64 (default: all \(TrainingConfig(method: .fm).threads) cores).")
    var threads: Int?
    @Option(help: "Pairs of noise and data: independent or ot (fm, shortcut, meanflow; `c` switches it).")
    var coupling: Coupling?
    @Option(help: "Append a line per UI event (keys, resizes, frames, snapshots) to this file.")
    var eventLog: String?

    func run() throws {
        var method = self.method ?? .fm
        let racing = self.method == nil && load == nil
        var dataset = self.dataset
        var initial: Checkpoint?
        var pairs = coupling ?? .independent
        if let load {
            let checkpoint = try Checkpoint.read(path: load)
            initial = checkpoint
            method = checkpoint.method
            dataset = checkpoint.dataset
            if coupling == nil { pairs = try TrainingConfig(checkpoint: checkpoint).coupling }
        }
        // A bad name fails here, before the screen changes.
        if let load, let initial { _ = try initial.loadDataset(path: load) } else { _ = try Dataset.named(dataset) }
        try validateLearningRate(lr)
        try validateThreads(threads)
        let inputs = [load, dataset.hasSuffix(".csv") ? dataset : nil].compactMap { $0 }
        let log = try eventLog.map { try EventLog(path: $0, inputs: inputs) }
        let environment = ProcessInfo.processInfo.environment
        guard isatty(0) == 1, isatty(1) == 1 else {
            throw ValidationError("the UI needs a terminal; use train, eval or render without one")
        }
        guard let device = NcursesDevice(environment: environment) else {
            throw ValidationError("cannot start the terminal UI (is TERM set to a known terminal?)")
        }
        let palette: Palette
        switch device.colorTier {
        case .color256: palette = .color256
        case .color8: palette = .color8
        case .monochrome: palette = .monochrome
        }
        let useASCII = ascii || !localeIsUTF8(environment)
        var settings = WorkerSettings(method: method, dataset: dataset, seed: seed, initial: initial)
        settings.learningRate = lr
        settings.threads = threads
        settings.inputs = inputs
        settings.race = racing
        settings.coupling = pairs
        let worker = TrainingWorker(settings: settings)
        worker.start()
        var state = AppState(
            size: device.size, method: method, dataset: dataset, seed: seed, ascii: useASCII, palette: palette)
        state.learningRate = lr
        state.threads = threads
        state.coupling = pairs
        if racing { state.view = .race }
        RunLoop(log: log).run(state, device: device, link: worker)
        device.shutdown()
        worker.stop()
        if let failure = log?.failure { Console.error("flow-explorer: \(failure)\n") }
    }
}
