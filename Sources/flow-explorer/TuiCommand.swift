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
            that one is used, otherwise the UI first trains an fm teacher for \(Method.cd.definition.teacherIterations) steps. \
            \(TrainCommand.memoryNote)

            The UI trains without a planned end; its defaults that differ per method:
            \(MethodDefaults.list(openEnded: true))
            """)

    @Option(help: "Dataset: a toy name (see `flow-explorer datasets`) or a CSV file of points (default: 8gaussians).")
    var dataset: String?
    @Option(help: "Method: \(Method.names). Without it (and without --load) the UI opens on the race of every method.")
    var method: Method?
    @Option(help: "Training seed (default: 0).") var seed: UInt64?
    @Option(
        help:
            "A run code from the status bar: reopens its dataset, method (or race), seed, K, view, coupling, threads and learning rate."
    )
    var code: String?
    @Option(help: "The race's methods: all, or flow-map (the methods that jump over intervals); g switches in the UI.")
    var racers: RaceLineup = .all
    @Option(
        help:
            "A checkpoint to start from (its method, dataset and network shape are used; with --method cd an fm checkpoint is cd's teacher)."
    )
    var load: String?
    @Flag(help: "Draw with ASCII characters only.") var ascii = false
    @Flag(help: "Leave the mouse to the terminal (no clicks or wheel in the UI; every action has a key).")
    var noMouse = false
    @Option(
        help:
            "How plots draw their points: braille (2x4 dots a cell), half-block (1x2, for fonts without braille), density (shades by count) or ascii (as --ascii)."
    )
    var plot: PlotMode = .braille
    @Option(
        parsing: .unconditional,
        help:
            "Adam learning rate \(MethodDefaults.note("--lr", openEnded: true)). Too large a rate makes training diverge: the UI stops and says so."
    )
    var lr: Float?
    @Option(
        parsing: .unconditional,
        help:
            "Threads for training, 1 to 64 (default: all \(TrainingConfig(method: .fm).threads) cores; more are clamped to the cores). The race trains this many racers at once, each on one thread."
    )
    var threads: Int?
    @Option(help: "Pairs of noise and data: independent or ot (fm, shortcut, meanflow; `c` switches it).")
    var coupling: Coupling?
    @Option(help: "Append a line per UI event (keys, resizes, frames, snapshots) to this file.")
    var eventLog: String?
    @Option(help: "Record the session as an asciicast v2 file (asciinema play FILE), with a marker at each tour step.")
    var record: String?

    func run() throws { try launch() }

    /// Checks the options, then runs the UI until it quits: with `tour` open at its first step
    /// (its state applied), its speaker notes appended to `notes` as each step opens.
    func launch(tour: Tour? = nil, notes: String? = nil) throws {
        let runCode = try code.map { try RunCode(text: $0) }
        if runCode != nil {
            let given: [(String, Bool)] = [
                ("--method", self.method != nil), ("--dataset", self.dataset != nil), ("--seed", self.seed != nil),
                ("--load", load != nil), ("--coupling", coupling != nil), ("--threads", self.threads != nil),
                ("--lr", self.lr != nil),
            ]
            let clashing = given.filter(\.1).map(\.0)
            guard clashing.isEmpty else {
                throw ValidationError("--code sets the run itself: leave out \(clashing.joined(separator: ", "))")
            }
        }
        var method = runCode?.method ?? self.method ?? .fm
        let racing = runCode?.racing ?? (self.method == nil && load == nil)
        var dataset = runCode?.dataset.rawValue ?? self.dataset ?? "8gaussians"
        let seed = runCode?.seed ?? self.seed ?? 0
        let lr = runCode?.learningRate ?? self.lr
        var initial: Checkpoint?
        var pairs = runCode?.coupling ?? coupling ?? .independent
        if let load {
            let checkpoint = try Checkpoint.read(path: load)
            initial = checkpoint
            method = try Self.method(self.method, loading: checkpoint)
            dataset = checkpoint.dataset
            if coupling == nil, method == checkpoint.method { pairs = try TrainingConfig(checkpoint: checkpoint).coupling }
        }
        // Everything is checked before the screen changes or a file is created: the dataset, the
        // options, the coupling (as `train` checks it), the event log, and the terminal.
        if let load, let initial { _ = try initial.loadDataset(path: load) } else { _ = try Dataset.named(dataset) }
        try validateLearningRate(lr)
        let threads = try resolveThreads(runCode?.threads ?? self.threads)
        // The memory of the run, as `train` estimates it, in the loaded checkpoint's shape.
        var config = TrainingConfig(method: method)
        if let initial { config.useShape(of: initial) }
        if let threads { config.threads = threads }
        if let problem = config.memoryProblem { throw ValidationError(problem) }
        // The coupling as `train` checks it; the race trains every method, so it takes none.
        if let problem = TrainingConfig.couplingProblem(pairs, for: racing ? nil : method) {
            throw ValidationError(problem + (racing ? " (the race trains every method: give --method)" : ""))
        }
        let inputs = [load, dataset.hasSuffix(".csv") ? dataset : nil].compactMap { $0 }
        if let eventLog { try EventLog.check(path: eventLog, inputs: inputs) }
        if let notes { try EventLog.check(path: notes, inputs: inputs, name: "the notes file") }
        if let eventLog, let notes, eventLog == notes {
            throw ValidationError("--notes and --event-log name the same file; give two")
        }
        if let record {
            try AtomicFile.checkTarget(record, inputs: inputs)
            if [eventLog, notes].contains(record) {
                throw ValidationError("--record names the file of another option; give its own")
            }
        }
        guard isatty(0) == 1, isatty(1) == 1 else {
            throw ValidationError("the UI needs a terminal; use train, eval or render without one")
        }
        let log = try eventLog.map { try EventLog(path: $0, inputs: inputs) }
        let notesLog = try notes.map { try EventLog(path: $0, inputs: inputs, name: "the notes file") }
        let environment = ProcessInfo.processInfo.environment
        guard let device = NcursesDevice(environment: environment, mouse: !noMouse) else {
            throw ValidationError("cannot start the terminal UI (is TERM set to a known terminal?)")
        }
        let recorder = try record.map { try CastRecorder(path: $0, size: device.size, inputs: inputs) }
        let palette: Palette
        switch device.colorTier {
        case .color256: palette = .color256
        case .color8: palette = .color8
        case .monochrome: palette = .monochrome
        }
        let useASCII = ascii || plot == .ascii || !localeIsUTF8(environment)
        var settings = WorkerSettings(initial: initial)
        settings.inputs = inputs
        let worker = TrainingWorker(settings: settings)
        worker.start()
        var state = AppState(
            size: device.size, method: method, dataset: dataset, seed: seed, ascii: useASCII, palette: palette)
        state.learningRate = lr
        state.threads = threads
        state.coupling = pairs
        if racing {
            state.racing = true
            state.view = .race
        }
        state.raceLineup = racers
        state.plotMode = plot
        let loop = RunLoop(log: log, inputs: inputs, notes: notesLog, recorder: recorder)
        var first: [Effect] = []
        if let tour {
            state.tour = tour
            state.showTour = true
            first = openTourStep(0, &state)
        }
        if let runCode {
            runCode.apply(to: &state)
            state.threads = threads  // clamped to the cores, as --threads is
        }
        for effect in first { _ = loop.perform(effect, state: state, link: worker) }
        loop.run(state, device: device, link: worker)
        device.shutdown()
        worker.stop()
        for failure in [log?.failure, notesLog?.failure].compactMap({ $0 }) { Console.error("flow-explorer: \(failure)\n") }
        try recorder?.finish()
    }

    /// The method the UI trains with `--load` of `checkpoint`: the checkpoint's own, or `given`
    /// when the checkpoint is its teacher (`--method cd` with an fm checkpoint); any other
    /// `--method` is refused rather than ignored.
    static func method(_ given: Method?, loading checkpoint: Checkpoint) throws -> Method {
        guard let given, given != checkpoint.method else { return checkpoint.method }
        guard given.definition.teacher == checkpoint.method else {
            throw ValidationError(
                "--method \(given.rawValue) does not fit --load of a \(checkpoint.method.rawValue) checkpoint: "
                    + "leave --method out to continue it, or give cd to distil an fm checkpoint")
        }
        return given
    }
}
