import ExplorerApp
import FlowCore
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The hostile-input and command-line findings of issue 19, one test each: memory is capped and
/// estimated before any work, a FIFO never blocks, `tui` takes what it loads at its word, and
/// every option is checked before output or work.
extension HostileInputTests {
    /// Runs `arguments`, killing the child after `seconds` (a blocked child then fails the test
    /// as killed by a signal, instead of hanging it).
    func runWithin(_ seconds: Double, _ arguments: [String], measureMemory: Bool = false) throws -> ChildProcess.Outcome {
        let child = try ChildProcess.start(arguments, measureMemory: measureMemory)
        let done = Atomic<Bool>(false)
        let pid = child.pid
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
            if !done.load(ordering: .acquiring) { kill(pid, SIGKILL) }
        }
        let outcome = child.wait()
        done.store(true, ordering: .releasing)
        return outcome
    }

    /// `text` with every run of white space made one space (the help wraps its lines).
    func flattened(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    // MARK: Memory

    @Test("a training run over the memory cap is refused with its estimate before anything is allocated")
    func memoryCap() throws {
        let dir = try folder("memory-cap")
        let r = try runWithin(
            30, ["train", "--batch-size", "65536", "--width", "2048", "--depth", "4", "--out", dir + "/x.safetensors"],
            measureMemory: true)
        expectOneLineError(r, "the run would need about 7.8 GiB of memory")
        #expect(r.stderr.contains("more than the cap of 2.0 GiB"), "\(r.stderr)")
        #if os(Linux)
            let peak = try #require(r.peakMemoryKB)
            #expect(peak < 100_000, "\(peak) KB")
        #endif
        #expect(try snapshot(dir).isEmpty)
    }

    @Test("the memory estimate grows with the threads and refuses width 4096 at 64 threads")
    func memoryEstimateCountsThreads() throws {
        var config = TrainingConfig(method: .fm)
        config.width = 4096
        config.depth = 1
        config.threads = 1
        let one = config.estimatedMemory
        config.threads = 64
        // 64 width-squared scratch buffers: the 4.3 GB peak of the issue, now refused up front.
        #expect(config.estimatedMemory > 4_000_000_000 && one < 300_000_000, "\(one) \(config.estimatedMemory)")
        #expect(config.memoryProblem?.contains("64 threads") == true)
        #expect(throws: FlowError.self) { try Trainer(config: config, dataset: .toy(.moons)) }
        #expect(TrainingConfig(method: .shortcut).memoryProblem == nil)
    }

    @Test("--threads above the core count is clamped with a one-line notice, and the run stays small")
    func threadsAreClamped() throws {
        let dir = try folder("threads-clamped")
        let cores = ProcessInfo.processInfo.activeProcessorCount
        try #require(cores < 64, "needs a machine with fewer than 64 cores")
        let r = try runWithin(
            60,
            [
                "train", "--width", "4096", "--depth", "1", "--threads", "64", "--iterations", "2",
                "--out", dir + "/x.safetensors",
            ], measureMemory: true)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(
            r.stderr == "flow-explorer: note: --threads 64 is more than the \(cores) cores of this machine; using \(cores)\n",
            "\(r.stderr)")
        #if os(Linux)
            let peak = try #require(r.peakMemoryKB)
            #expect(peak < 600_000, "\(peak) KB")  // 4.3 GB before
        #endif
        #expect(try Checkpoint.read(path: dir + "/x.safetensors").extra["threads"] == String(cores))
        let tui = try runWithin(30, ["tui", "--threads", "64"])
        #expect(tui.status == 2 && tui.stderr.contains("note: --threads 64 is more than"), "\(tui.stderr)")
    }

    // MARK: FIFOs

    @Test("a FIFO as a checkpoint, a CSV dataset, a dataset named in a checkpoint or an event log is refused at once")
    func fifosNeverBlock() throws {
        let dir = try folder("fifos")
        for name in ["model.safetensors", "points.csv", "events.log"] { #expect(mkfifo(dir + "/" + name, 0o644) == 0) }
        try craftedCheckpoint(dir + "/names-fifo.safetensors", dataset: dir + "/points.csv")
        let before = try snapshot(dir)
        let cases: [([String], String)] = [
            (["eval", dir + "/model.safetensors"], "model.safetensors: not a regular file"),
            (["tui", "--load", dir + "/model.safetensors"], "model.safetensors: not a regular file"),
            (["train", "--dataset", dir + "/points.csv", "--out", dir + "/o.safetensors"], "points.csv: not a regular file"),
            (["eval", dir + "/names-fifo.safetensors"], "its dataset: \(dir)/points.csv: not a regular file"),
            (["tui", "--event-log", dir + "/events.log"], "events.log: the event log is a FIFO or socket"),
        ]
        for (command, fragment) in cases {
            expectOneLineError(try runWithin(20, command), fragment)
        }
        #expect(try snapshot(dir) == before)
    }

    // MARK: tui

    @Test("tui --event-log without a terminal creates no log")
    func eventLogWithoutATerminal() throws {
        let dir = try folder("event-log-no-terminal")
        let r = try runWithin(20, ["tui", "--method", "fm", "--event-log", dir + "/events.log"])
        expectOneLineError(r, "the UI needs a terminal")
        #expect(try snapshot(dir).isEmpty)
    }

    @Test("tui refuses --coupling ot for ct and for the race with the line train gives")
    func tuiCouplingIsChecked() throws {
        let train = try runWithin(20, ["train", "--method", "ct", "--coupling", "ot", "--out", cli.path("never.safetensors")])
        expectOneLineError(train, "--coupling ot applies to fm, shortcut, meanflow only")
        for command in [["tui", "--method", "ct", "--coupling", "ot"], ["tui", "--coupling", "ot"]] {
            let r = try runWithin(20, command)
            expectOneLineError(r, "--coupling ot applies to fm, shortcut, meanflow only")
            #expect(!r.stderr.contains("terminal"))
        }
    }

    @Test("tui --load with another --method is refused unless the checkpoint is that method's teacher")
    func tuiMethodWithLoad() throws {
        let dir = try folder("tui-method-load")
        let fm = try smallCheckpoint(in: dir)
        expectOneLineError(
            try runWithin(20, ["tui", "--method", "shortcut", "--load", fm]), "--method shortcut does not fit --load of a fm")
        // cd takes the fm checkpoint as its teacher: accepted, so only the missing terminal stops it.
        expectOneLineError(try runWithin(20, ["tui", "--method", "cd", "--load", fm]), "the UI needs a terminal")
    }

    /// A training session of `state`'s run with `settings` (128-point pictures), advanced
    /// `turns` times 10 ms apart on its own clock; returns the session and its newest snapshot.
    func trainedSession(
        _ state: AppState, settings: WorkerSettings = WorkerSettings(), turns: Int
    ) -> (session: TrainingSession, snapshot: Snapshot) {
        var settings = settings
        settings.pictureCount = 128
        let session = TrainingSession(settings: settings)
        let request = WorkerRequest(state)
        for turn in 0..<turns { session.advance(request: request, now: Double(turn) / 100) }
        return (session, session.snapshot)
    }

    /// The UI's state of a run of `method` on `dataset`, seed 0.
    func uiState(_ method: Method, _ dataset: String) -> AppState {
        AppState(size: .init(width: 120, height: 40), method: method, dataset: dataset)
    }

    @Test("the UI continues a loaded checkpoint of a non-default width in its own shape")
    func tuiLoadKeepsTheShape() throws {
        let dir = try folder("tui-load-shape")
        let checkpoint = try Checkpoint.read(path: try smallCheckpoint(in: dir))
        #expect(checkpoint.shape.width == 16)
        let snapshot = trainedSession(uiState(.fm, checkpoint.dataset), settings: WorkerSettings(initial: checkpoint), turns: 20)
            .snapshot
        #expect(snapshot.iteration == checkpoint.iterations + 20, "\(snapshot.message ?? "")")
        #expect(snapshot.message?.contains("error") != true, "\(snapshot.message ?? "")")
    }

    @Test("the UI distils a loaded fm checkpoint with cd at once, as its teacher")
    func tuiCdTakesTheLoadedTeacher() throws {
        let dir = try folder("tui-cd-teacher")
        let teacher = try Checkpoint.read(path: try smallCheckpoint(in: dir))
        let snapshot = trainedSession(uiState(.cd, teacher.dataset), settings: WorkerSettings(initial: teacher), turns: 20)
            .snapshot
        // No fm teacher of 8000 steps is trained first: cd itself reaches iteration 20.
        #expect(snapshot.method == .cd && snapshot.iteration == 20 && snapshot.phase == nil, "\(snapshot.message ?? "")")
    }

    @Test("a failed start in the UI does not read as running")
    func failedStartIsNotRunning() throws {
        var state = uiState(.fm, "moons")
        state.threads = 65  // refused by TrainingConfig.problem
        let snapshot = trainedSession(state, turns: 3).snapshot
        #expect(snapshot.message?.hasPrefix("error:") == true && !snapshot.running, "\(snapshot.message ?? "")")
    }

    @Test("the UI's save and export names stay short for a 235-character CSV name, and s saves")
    func longDatasetNamesSave() throws {
        let dir = try folder("long-name")
        let name = dir + "/" + String(repeating: "d", count: 235) + ".csv"
        var state = AppState(
            size: .init(width: 240, height: 60), method: .shortcut, dataset: name, seed: 0, ascii: false, palette: .monochrome)
        #expect(state.checkpointFileName.utf8.count <= 120, "\(state.checkpointFileName)")
        state.view = .consistency
        #expect(SVGExport.fileName(state).utf8.count <= 120)
        let checkpoint = try Checkpoint.read(path: try smallCheckpoint(in: dir))
        try checkpoint.write(to: dir + "/" + state.checkpointFileName)
        // Zalgo: one letter with 300 combining marks is one Character of 601 bytes.
        state.dataset = "a" + String(repeating: "\u{0301}", count: 300) + ".csv"
        #expect(state.checkpointFileName.utf8.count <= 120)
    }

    @Test("a failed save in the UI gives its reason first")
    func failedSaveSaysWhyFirst() throws {
        let dir = try folder("save-reason")
        let session = trainedSession(uiState(.fm, "moons"), turns: 5).session
        let path = dir + "/missing/" + String(repeating: "n", count: 200) + ".safetensors"
        let message = try #require(session.perform(.save(path: path), now: 1)?.message)
        #expect(message.hasPrefix("save failed: the folder \(dir)/missing does not exist: "), "\(message)")
        #expect(try snapshot(dir).isEmpty)
    }

    // MARK: Files

    @Test("a checkpoint header over 1 MiB is refused before it is read")
    func headerLimit() throws {
        let dir = try folder("header-limit")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/big-header.safetensors"
        var bytes = withUnsafeBytes(of: UInt64(100_000_000).littleEndian) { Data($0) }
        bytes.append(Data("{\"__metadata__\":{}}".utf8))
        try bytes.write(to: URL(fileURLWithPath: file))
        #expect(truncate(file, 8 + 100_000_000) == 0)  // sparse, 100 MB long
        let r = try runWithin(30, ["eval", file], measureMemory: true)
        expectOneLineError(r, "header length 100000000 is too large (a checkpoint's is at most 1048576 bytes)")
        #if os(Linux)
            let peak = try #require(r.peakMemoryKB)
            #expect(peak < 100_000, "\(peak) KB")  // 315 MB before
        #endif
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        #expect(throws: FlowError.self) { try Checkpoint.decode(data, name: file) }
    }

    @Test("eval --samples is capped at 65536")
    func evalSamplesCap() throws {
        let dir = try folder("eval-samples")
        let model = try smallCheckpoint(in: dir)
        expectOneLineError(
            try runWithin(20, ["eval", model, "--samples", "1000000"]), "--samples must be between 16 and 65536, not 1000000")
    }

    @Test("eval --truth on data near 1e30 blames the data, not the model's samples")
    func evalTruthOnHugeData() throws {
        let dir = try folder("eval-huge")
        try Data("x,y\n1e30,2e30\n-3e30,1e30\n5e29,-1e30\n".utf8).write(to: URL(fileURLWithPath: dir + "/huge.csv"))
        try craftedCheckpoint(dir + "/huge.safetensors", dataset: dir + "/huge.csv")
        let before = try snapshot(dir)
        let r = try runWithin(60, ["eval", dir + "/huge.safetensors", "--truth", "--steps", "1", "--samples", "64"])
        expectOneLineError(r, "its data reach magnitude 3e+30")
        #expect(!r.stderr.contains("the model's samples"), "\(r.stderr)")
        #expect(try snapshot(dir) == before)
    }

    // MARK: Options

    @Test("render --probe takes a leading minus and exactly two numbers")
    func probeParsing() throws {
        let dir = try folder("probe")
        let good = try runWithin(
            60, ["render", "--dataset", "moons", "--view", "truth", "--probe", "-0.5,1", "--count", "64", "--width", "60"])
        #expect(good.status == 0, "\(good.stderr)")
        let equals = try runWithin(
            60, ["render", "--dataset", "moons", "--view", "truth", "--probe=-0.5,1", "--count", "64", "--width", "60"])
        #expect(equals.status == 0 && equals.stdout == good.stdout, "\(equals.stderr)")
        for bad in ["1,abc,2", "1,,2", "1", "nan,1", "1,2,"] {
            expectOneLineError(
                try runWithin(20, ["render", "--dataset", "moons", "--probe", bad]), "--probe takes two numbers x,y")
        }
        #expect(try snapshot(dir).isEmpty)
    }

    @Test("bench --time-to-quality checks every option before it prints or trains", .timeLimit(.minutes(1)))
    func benchChecksFirst() throws {
        let cases: [([String], String)] = [
            (["--teacher-iterations=-1"], "--teacher-iterations must be between 0 and 1000000, not -1"),
            (["--methods", "fm-ot"], "fm-ot is a row of the throughput bench"),
            (["--dataset", ","], "--dataset takes a comma-separated list"),
            (["--dataset", "moons,nope"], "unknown dataset 'nope'"),
            (["--methods", "fm,cd", "--coupling", "ot"], "--coupling ot applies to fm, shortcut, meanflow only"),
            (["--methods", ","], "--methods takes a comma-separated list"),
            (["--width", "0"], "width must be between 1 and 4096"),
        ]
        for (options, fragment) in cases {
            let r = try runWithin(20, ["bench", "--time-to-quality"] + options)
            expectOneLineError(r, fragment)
            #expect(r.stdout.isEmpty, "\(options): \(r.stdout)")
        }
    }

    @Test("the throughput bench refuses the training options it would ignore")
    func throughputBenchRefusesTrainingOptions() throws {
        for options in [["--width", "0"], ["--lr", "0.01"], ["--dataset", "moons"], ["--teacher-iterations", "5"]] {
            let r = try runWithin(20, ["bench"] + options)
            expectOneLineError(r, "\(options[0]) applies to bench --time-to-quality only")
            #expect(r.stdout.isEmpty)
        }
    }

    @Test("MeanFlow's weight power is bounded to [0, 1], and a divergence with it names it")
    func weightPowerIsBounded() throws {
        let dir = try folder("weight-power")
        let r = try runWithin(
            20, ["train", "--method", "meanflow", "--weight-power", "100", "--out", dir + "/x.safetensors"])
        expectOneLineError(r, "the weight power must be in [0, 1]")
        #expect(try snapshot(dir).isEmpty)
        var config = TrainingConfig(method: .meanflow)
        config.weightPower = 1
        #expect(try Trainer(config: config, dataset: .toy(.moons)).divergenceAdvice.contains("--weight-power"))
        #expect(
            try Trainer(config: TrainingConfig(method: .meanflow), dataset: .toy(.moons)).divergenceAdvice == "try a lower --lr")
    }

    @Test("an option given twice is refused instead of keeping the last")
    func repeatedOptions() throws {
        let dir = try folder("repeated")
        let model = try smallCheckpoint(in: dir)
        let before = try snapshot(dir)
        let cases: [[String]] = [
            ["train", "--dataset", "moons", "--dataset", "rings", "--iterations", "5", "--out", dir + "/x.safetensors"],
            ["eval", model, "--steps", "1", "--steps=2"],
            ["bench", "--methods", "fm", "--methods", "cd"],
        ]
        for command in cases {
            let name = command.first { $0.hasPrefix("--") }!
            expectOneLineError(try runWithin(20, command), "\(name) is given twice; give it once")
        }
        #expect(try snapshot(dir) == before)
    }

    // MARK: Help

    @Test("train, tui and bench --help list each method's defaults as the method definitions set them")
    func helpListsEachMethodsDefaults() throws {
        for (command, openEnded) in [("train", false), ("tui", true), ("bench", true)] {
            let help = try cli.run([command, "--help"]).stdout
            let lines = help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for method in Method.allCases {
                var config = TrainingConfig(method: method)
                if openEnded { config.makeOpenEnded() }
                // The method's entry: from its line to the next method's line (the help wraps).
                let start = try #require(lines.firstIndex { $0.hasPrefix("\(method.rawValue): --") }, "\(command): \(method)")
                let end = lines[(start + 1)...].firstIndex { line in
                    line.isEmpty || Method.allCases.contains { line.hasPrefix("\($0.rawValue): --") }
                }
                let entry = flattened(lines[start..<(end ?? lines.endIndex)].joined(separator: " "))
                #expect(entry.contains("--lr \(config.learningRate)"), "\(command) \(method): \(entry)")
                #expect(entry.contains("--warmup \(config.warmupIterations)"), "\(command) \(method): \(entry)")
                #expect(entry.contains("--time-scale \(config.timeScale)"), "\(command) \(method): \(entry)")
                if command != "tui" {  // the UI has no option for them
                    #expect(entry.contains("--lr-decay \(config.learningRateDecay)"), "\(command) \(method): \(entry)")
                    #expect(entry.contains("--ema-warmup \(config.emaWarmup)"), "\(command) \(method): \(entry)")
                }
                if method == .meanflow { #expect(entry.contains("--weight-power \(config.weightPower)"), "\(entry)") }
            }
            // No option states one method's default as everyone's.
            #expect(flattened(help).contains("Adam learning rate (default per method, listed below)"), "\(command)")
        }
    }

    @Test("render --help lists only the views render draws and no numeric default")
    func renderHelpViews() throws {
        let help = flattened(try cli.run(["render", "--help"]).stdout)
        let options = try #require(help.range(of: "OPTIONS:")).upperBound
        let start = try #require(help.range(of: "--view <view>", range: options..<help.endIndex)).upperBound
        let end = try #require(help.range(of: "--width <width>", range: start..<help.endIndex)).lowerBound
        let view = String(help[start..<end])
        #expect(view.contains("(values: samples, trajectories, consistency, compare, truth"), "\(view)")
        #expect(!view.contains("race") && !view.contains("default: 0") && view.contains("default: samples"), "\(view)")
        expectOneLineError(
            try runWithin(20, ["render", "--dataset", "moons", "--view", "race"]), "the race trains every method live")
    }
}
