import ArgumentParser
import ExplorerApp
import FlowCore
import Foundation
import TerminalCanvas

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure training throughput per method on this machine (batch 256, 3x128 network).",
        discussion: """
            Each method trains on 8gaussians for --seconds, --repeats times, after a warm-up; the \
            median run is reported, at one thread and at all cores (one row each), or at --threads \
            only. GFLOP/s counts the matrix products of one step: forward and \
            backward of every row (2 x fan_in x fan_out FLOPs per row and layer for the forward and \
            for the weight gradient, the same for the input gradient of every layer but the first), \
            plus the extra forward passes that compute targets (shortcut: 2 per bootstrap row; \
            CT: 1 per row; CD: 1 per row and 1 or 2 teacher passes). The CD teacher is an untrained \
            network: only the speed is measured. frame_ms is the median time to build one frame of \
            the UI's compare view at 200x60 with 4,096 points per panel (drawing only; no terminal). \
            snapshot_ms is the median time the training worker takes to make the compare view's \
            pictures from a model (1,024 points, K=1), sw2_ms that of one panel's SW2 in it. k_blocks \
            lists each weight-gradient product M x K x N and how many of its K terms one pass adds, \
            as measured for this CPU at its first use (0: all in one pass).

            --time-to-quality measures instead, per method and dataset, the training seconds until \
            the main sampler (fm Euler K=128, the others K=1) reaches the target SW2 (1.25 times the \
            README's 20,000-iteration value), evaluated every 0.1 s of training on the EMA weights \
            (evaluation time not counted; the cd teacher's training counts), and the SW2 at 1, 2, 5 \
            and 10 s. \(TrainCommand.memoryNote) Its runs have no planned end, like the UI's; an \
            option given wins over these defaults, and each JSON row lists the settings it trained \
            with and its curve (iterations and SW2 at every evaluation). The training options' defaults that differ per method:
            \(MethodDefaults.list(openEnded: true, plannedToo: true))
            """)

    @Option(help: "Seconds per measurement.") var seconds = 1.0
    @Option(help: "Measurements per method; the median is reported.") var repeats = 3
    @Option(
        help:
            "Only these methods (comma-separated; default: every method, and fm-ot, fm with OT coupling, in the throughput bench)."
    )
    var methods: String?
    @Option(
        parsing: .unconditional,
        help: "Measure at this many threads only, 1 to 64, at most the cores (default: at 1 and at all cores).")
    var threads: Int?
    @Flag(help: "Print one JSON object.") var json = false
    @Flag(help: "Measure the seconds of training to a target quality instead of steps per second.")
    var timeToQuality = false
    @Option(help: "Datasets of --time-to-quality (comma-separated; default 8gaussians,moons,checkerboard).")
    var dataset: String?
    /// The datasets of --time-to-quality.
    var datasets: String { dataset ?? "8gaussians,moons,checkerboard" }
    /// Whether --dataset was given (the throughput bench refuses it).
    var datasetGiven: Bool { dataset != nil }
    @Option(
        help: "Steps of the teacher a distilling method trains first (--time-to-quality; default: the method's, as in the UI).")
    var teacherIterations: Int?
    @Option(
        help: ArgumentHelp(
            "--time-to-quality by iterations, not seconds: evaluate every 100 iterations and stop after this many (1000 to 1000000).",
            discussion:
                "The result then does not depend on the machine or its load; SW2 is reported at 1,000, 2,000, 3,000 and this many iterations."
        ))
    var iterationBudget: Int?
    @Option(
        help:
            "--time-to-quality: independent evaluation draws (data and noise) whose SW2 each evaluation averages, 1 to 16 (default 1; the first is eval --seed's own, the draw the targets were measured on; 4 draws halve the spread of the metric's own noise)."
    )
    var evaluationDraws: Int?
    @OptionGroup(title: "Training options of --time-to-quality") var options: TrainingOptions

    struct Row {
        var method: Method
        var coupling: Coupling
        var threads: Int
        var stepsPerSecond: Double
        var gflops: Double
        /// The method's name, with -ot under OT coupling.
        var name: String { method.rawValue + (coupling == .ot ? "-ot" : "") }
    }

    func run() throws {
        guard seconds > 0 && seconds <= 600, (1...100).contains(repeats) else {
            throw ValidationError("--seconds must be in (0, 600] and --repeats in 1...100")
        }
        let every = Method.allCases.map(\.rawValue).joined(separator: ",")
        let methods = self.methods ?? (timeToQuality ? every : every.replacingOccurrences(of: "fm,", with: "fm,fm-ot,"))
        let chosen = try methods.split(separator: ",").map { name -> (Method, Coupling) in
            if name == "fm-ot" { return (.fm, .ot) }
            guard let m = Method(rawValue: String(name)) else {
                throw ValidationError("unknown method '\(SafeText.escaped(String(name)))' in --methods (\(Method.names), fm-ot)")
            }
            return (m, .independent)
        }
        guard !chosen.isEmpty else { throw ValidationError("--methods takes a comma-separated list of methods, like fm,cd") }
        let threads = try resolveThreads(self.threads)
        if timeToQuality { return try runTimeToQuality(chosen, threads: threads) }
        // The throughput bench measures its fixed run: options it would ignore are refused.
        let ignored =
            options.givenNames + (teacherIterations == nil ? [] : ["--teacher-iterations"])
            + (iterationBudget == nil ? [] : ["--iteration-budget"])
            + (evaluationDraws == nil ? [] : ["--evaluation-draws"])
            + (datasetGiven ? ["--dataset"] : [])
        if let name = ignored.first {
            throw ValidationError(
                "\(name) applies to bench --time-to-quality only (the throughput bench trains batch 256 on a 3x128 network)")
        }
        let allCores = TrainingConfig(method: .fm).threads
        let threadCounts = threads.map { [$0] } ?? (allCores > 1 ? [1, allCores] : [1])
        var rows: [Row] = []
        for (method, coupling) in chosen {
            for threadCount in threadCounts {
                rows.append(try measure(method, coupling: coupling, threads: threadCount))
            }
        }
        let batch = TrainingConfig(method: .fm).batchSize
        let frameMilliseconds = Self.frameMilliseconds()
        let truth = benchmarkTruthState(steps: [1, 128])
        let truthFrameMilliseconds = Self.frameMilliseconds(truth.state)
        let snapshot = benchmarkSnapshotMilliseconds()
        if json {
            try Console.line(
                JSON.object([
                    ("machine", .string(Self.machine())),
                    (
                        "rows",
                        .array(
                            rows.map { row in
                                .object([
                                    ("method", .string(row.name)),
                                    ("threads", .integer(row.threads)),
                                    ("steps_per_second", .number(row.stepsPerSecond.rounded())),
                                    ("samples_per_second", .number((row.stepsPerSecond * Double(batch)).rounded())),
                                    ("gflops", .number((row.gflops * 10).rounded() / 10)),
                                ])
                            })
                    ),
                    ("frame_ms", .number((frameMilliseconds * 100).rounded() / 100)),
                    ("truth_frame_ms", .number((truthFrameMilliseconds * 100).rounded() / 100)),
                    ("truth_map_ms_k1", .number((truth.heatMapSeconds[0] * 1e5).rounded() / 100)),
                    ("truth_map_ms_k128", .number((truth.heatMapSeconds[1] * 1e5).rounded() / 100)),
                    ("snapshot_ms", .number((snapshot.snapshot * 100).rounded() / 100)),
                    ("sw2_ms", .number((snapshot.sw2 * 100).rounded() / 100)),
                    (
                        "k_blocks",
                        .array(
                            KBlocking.table.map {
                                .object([
                                    ("m", .integer($0.m)), ("k", .integer($0.k)), ("n", .integer($0.n)),
                                    ("block", .integer($0.block)),
                                ])
                            })
                    ),
                ]).text)
        } else {
            try Console.line("\(Self.machine()); batch \(batch), median of \(repeats)")
            try Console.line("method    threads  steps/s   samples/s   GFLOP/s")
            for row in rows {
                try Console.line(
                    row.name.padding(toLength: 8, withPad: " ", startingAt: 0)
                        + String(
                            format: "%9d %8.0f %11.0f %9.1f", row.threads, row.stepsPerSecond,
                            row.stepsPerSecond * Double(batch), row.gflops))
            }
            try Console.line(String(format: "UI compare frame, 200x60, 4096 points per panel: %.2f ms", frameMilliseconds))
            try Console.line(
                String(
                    format: "UI truth view, 120x40: frame %.2f ms; heat map from a new model %.0f ms at K=1, %.0f ms at K=128",
                    truthFrameMilliseconds, truth.heatMapSeconds[0] * 1000, truth.heatMapSeconds[1] * 1000))
            try Console.line(
                String(
                    format: "UI snapshot, compare view, 1024 points, K=1: %.2f ms; SW2 of one panel %.2f ms",
                    snapshot.snapshot, snapshot.sw2))
            let blocks = KBlocking.table.map { "\($0.m)x\($0.k)x\($0.n) \($0.block == 0 ? "one pass" : "\($0.block)")" }
            try Console.line("Weight-gradient products, K per pass (measured at start): " + blocks.joined(separator: ", "))
        }
    }

    /// The median steps per second of `method` at `threads` threads, after a warm-up of 20 steps.
    func measure(_ method: Method, coupling: Coupling = .independent, threads: Int) throws -> Row {
        let trainer = try makeTrainer(method, coupling: coupling, threads: threads)
        for _ in 0..<20 { trainer.step() }
        var rates: [Double] = []
        for _ in 0..<repeats {
            let start = Date()
            var steps = 0
            while Date().timeIntervalSince(start) < seconds {
                for _ in 0..<10 { trainer.step() }
                steps += 10
            }
            rates.append(Double(steps) / Date().timeIntervalSince(start))
        }
        let median = rates.sorted()[rates.count / 2]
        return Row(
            method: method, coupling: coupling, threads: threads, stepsPerSecond: median,
            gflops: median * Double(trainer.flopsPerStep) / 1e9)
    }

    func makeTrainer(_ method: Method, coupling: Coupling = .independent, threads: Int) throws -> Trainer {
        var config = TrainingConfig(method: method)
        config.coupling = coupling
        config.iterations = 1_000_000
        config.threads = threads
        var teacher: Checkpoint?
        if let teacherMethod = method.definition.teacher {
            teacher = try Trainer(config: TrainingConfig(method: teacherMethod), dataset: .toy(.eightGaussians)).checkpoint()
        }
        return try Trainer(config: config, dataset: .toy(.eightGaussians), teacher: teacher)
    }

    /// The median build time of `state`'s frame (the benchmark compare frame by default) over 50
    /// frames, in milliseconds.
    static func frameMilliseconds(_ state: AppState = benchmarkCompareState()) -> Double {
        var buffer = CellBuffer(size: state.size)
        render(state, into: &buffer)
        let times = (0..<50).map { _ in
            let start = Date()
            render(state, into: &buffer)
            return Date().timeIntervalSince(start) * 1000
        }
        return times.sorted()[times.count / 2]
    }

    /// The CPU's name, with its family and model where /proc/cpuinfo gives them (a virtual machine
    /// may name only the vendor: "AMD EPYC" is Zen 3 in family 25 and Zen 5 in family 26), the
    /// cores, the system, and the kernels' code path (``KernelPath/active``).
    static func machine() -> String {
        let lines = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?.split(separator: "\n") ?? []
        func field(_ name: String) -> String? {
            for line in lines {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
            return nil
        }
        var cpu = field("model name") ?? "unknown CPU"
        if let family = field("cpu family"), let model = field("model") { cpu += " (family \(family), model \(model))" }
        let info = ProcessInfo.processInfo
        return "\(cpu), \(info.activeProcessorCount) cores, \(info.operatingSystemVersionString), kernels \(KernelPath.active)"
    }
}
