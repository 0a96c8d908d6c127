import FlowCore
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The reproducers of issue 12, one test each: nothing a user types or a file holds crashes the
/// command line, changes a file other than the intended output, or sends a control character to
/// the terminal. Every test compares the bytes of its folder before and after.
@Suite struct HostileInputTests {
    let cli = CommandLineTests()

    /// A fresh, empty folder for one test.
    func folder(_ name: String) throws -> String {
        let path = cli.path("hostile-\(name)")
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Every entry of `folder` (dot files too) with its type, mode and bytes.
    func snapshot(_ folder: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            var info = stat()
            lstat(folder + "/" + name, &info)
            var description = "mode \(String(info.st_mode, radix: 8))"
            if info.st_mode & S_IFMT == S_IFREG, let data = FileManager.default.contents(atPath: folder + "/" + name) {
                description += " bytes \(data.count) \(data.hashValue)"
                out[name + " content"] = data.base64EncodedString()
            }
            out[name] = description
        }
        return out
    }

    /// A small fm checkpoint in `folder`.
    func smallCheckpoint(in folder: String, _ name: String = "ok.safetensors", method: String = "fm") throws -> String {
        let file = folder + "/" + name
        let r = try cli.run(["train", "--method", method, "--iterations", "20", "--width", "16", "--out", file])
        #expect(r.status == 0, "\(r.stderr)")
        return file
    }

    /// A checkpoint written by FlowCore with the given dataset name and weights.
    func craftedCheckpoint(_ file: String, dataset: String, weight: Float = 0.1) throws {
        let shape = NetworkShape(width: 4, depth: 1, embeddingSize: 2)
        let weights = [Float](repeating: weight, count: shape.parameterCount)
        let checkpoint = Checkpoint(
            method: .fm, dataset: dataset, seed: 0, iterations: 1, shape: shape,
            parameters: weights, ema: weights)
        try checkpoint.encoded().write(to: URL(fileURLWithPath: file))
    }

    func expectOneLineError(_ r: ChildProcess.Outcome, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == 2, "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(!r.killedBySignal, sourceLocation: sourceLocation)
        #expect(
            r.stderr.hasPrefix("flow-explorer: ") && r.stderr.filter { $0 == "\n" }.count == 1, "\(r.stderr)",
            sourceLocation: sourceLocation)
        #expect(r.stderr.contains(fragment), "expected '\(fragment)': \(r.stderr)", sourceLocation: sourceLocation)
        #expect(
            !r.stderr.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "a control character: \(r.stderr)",
            sourceLocation: sourceLocation)
    }

    // MARK: Crashes

    @Test("render draws 64 to 69 points instead of reading past its noise")
    func renderWithFewPoints() throws {
        let dir = try folder("render-count")
        let model = try smallCheckpoint(in: dir)
        let before = try snapshot(dir)
        for count in 64...69 {
            for view in ["samples", "consistency"] {
                let r = try ChildProcess.run(["render", model, "--count", "\(count)", "--view", view])
                #expect(r.status == 0 && !r.killedBySignal, "count \(count): \(r.stderr)")
                #expect(r.stdout.contains("Samples") || r.stdout.contains("Consistency"), "count \(count)")
            }
        }
        #expect(try snapshot(dir) == before)
    }

    @Test("a seed above Int64.max trains and is reported in the JSON output")
    func hugeSeed() throws {
        let dir = try folder("huge-seed")
        let r = try ChildProcess.run([
            "train", "--iterations", "10", "--width", "8", "--seed", "9223372036854775808", "--json",
            "--out", dir + "/x.safetensors",
        ])
        #expect(r.status == 0 && !r.killedBySignal, "\(r.stderr)")
        #expect(r.stdout.contains("\"seed\":9223372036854775808,"), "\(r.stdout)")
        #expect(try Checkpoint.read(path: dir + "/x.safetensors").seed == 9_223_372_036_854_775_808)
    }

    @Test("a failed write to stderr ends with exit code 2 instead of a crash")
    func stderrOnAFullDisk() throws {
        let dir = try folder("stderr-full")
        let r = try ChildProcess.run(["eval", dir + "/missing.safetensors"], stderr: "/dev/full")
        #expect(r.status == 2 && !r.killedBySignal)
        #expect(try snapshot(dir).isEmpty)
    }

    @Test("a failed write to stdout ends with exit code 1 and one line on stderr", arguments: ["render", "eval", "train"])
    func stdoutOnAFullDisk(command: String) throws {
        let dir = try folder("stdout-full-\(command)")
        let model = try smallCheckpoint(in: dir)
        let before = try snapshot(dir)
        let arguments: [String] =
            switch command {
            case "render": ["render", model]
            case "eval": ["eval", model, "--steps", "1", "--samples", "64", "--json"]
            default: ["train", "--iterations", "5", "--width", "8", "--json", "--out", dir + "/new.safetensors"]
            }
        let r = try ChildProcess.run(arguments, stdout: "/dev/full")
        #expect(r.status == 1 && !r.killedBySignal, "\(r.stderr)")
        #expect(r.stderr == "flow-explorer: cannot write to stdout (No space left on device)\n", "\(r.stderr)")
        var after = try snapshot(dir)
        if command == "train" {  // the checkpoint is written before the JSON
            #expect(after["new.safetensors"] != nil)
            after["new.safetensors"] = nil
            after["new.safetensors content"] = nil
        }
        #expect(after == before)
    }

    @Test("a closed stdout pipe ends render quietly with a non-zero status")
    func closedPipe() throws {
        let dir = try folder("closed-pipe")
        let model = try smallCheckpoint(in: dir)
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        close(ends[0])
        let r = try ChildProcess.run(["render", model, "--width", "300", "--height", "200"], stdoutDescriptor: ends[1])
        close(ends[1])
        #expect(r.status != 0 && r.status < 128 + 32 && !r.killedBySignal, "status \(r.status)")
        #expect(r.stderr.isEmpty, "\(r.stderr)")
    }

    // MARK: Files clobbered

    @Test("a link planted at the old temporary name is not followed")
    func plantedLinkAtTheTemporaryName() throws {
        let dir = try folder("planted-link")
        let victim = dir + "/victim.txt"
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: victim))
        let target = dir + "/out.svg"
        // The name the old writer used: .NAME.tmp-PID, as a symlink and as a hard link.
        try FileManager.default.createSymbolicLink(atPath: dir + "/.out.svg.tmp-\(getpid())", withDestinationPath: victim)
        #expect(link(victim, dir + "/.other.svg.tmp-\(getpid())") == 0)
        try AtomicFile.write(Data("<svg/>".utf8), to: target)
        try AtomicFile.write(Data("<svg/>".utf8), to: dir + "/other.svg")
        #expect(FileManager.default.contents(atPath: victim) == Data("keep me".utf8))
        #expect(FileManager.default.contents(atPath: target) == Data("<svg/>".utf8))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }
        #expect(Set(leftovers) == [".out.svg.tmp-\(getpid())", ".other.svg.tmp-\(getpid())"])
    }

    @Test("an output that is a symbolic link, a FIFO, a folder or a device is refused and left as it was")
    func nonRegularOutputs() throws {
        let dir = try folder("non-regular")
        let model = try smallCheckpoint(in: dir)
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.safetensors", withDestinationPath: model)
        #expect(mkfifo(dir + "/fifo.safetensors", 0o644) == 0)
        try FileManager.default.createDirectory(atPath: dir + "/folder.safetensors", withIntermediateDirectories: false)
        var targets = [
            "link.safetensors": "symbolic link", "fifo.safetensors": "not a regular file",
            "folder.safetensors": "is a folder",
        ]
        // A copy of /dev/null (root only): the old writer replaced a device with a regular file.
        if mknod(dir + "/device.safetensors", S_IFCHR | 0o666, dev_t(1 << 8 | 3)) == 0 {
            targets["device.safetensors"] = "not a regular file"
        }
        let before = try snapshot(dir)
        for (name, fragment) in targets {
            let r = try ChildProcess.run(["train", "--iterations", "5", "--width", "8", "--out", dir + "/" + name])
            expectOneLineError(r, fragment)
        }
        #expect(try snapshot(dir) == before)
    }

    @Test("an output that is one of the command's inputs is refused and the input is unchanged")
    func outputIsAnInput() throws {
        let dir = try folder("output-is-input")
        let model = try smallCheckpoint(in: dir)
        let points = dir + "/pts.csv"
        try Data("x,y\n1,2\n3,4\n-1,0.5\n".utf8).write(to: URL(fileURLWithPath: points))
        #expect(link(model, dir + "/hard-link.safetensors") == 0)
        let before = try snapshot(dir)
        let commands: [[String]] = [
            ["train", "--dataset", points, "--iterations", "5", "--width", "8", "--out", points],
            ["render", model, "--out", model],
            ["render", model, "--out", dir + "/hard-link.safetensors"],
            ["train", "--method", "cd", "--teacher", model, "--iterations", "5", "--width", "16", "--out", model],
            ["train", "--init", model, "--iterations", "5", "--width", "16", "--out", model],
        ]
        for command in commands {
            expectOneLineError(try ChildProcess.run(command), "is an input of this command")
        }
        #expect(try snapshot(dir) == before)
    }

    @Test(
        "a handled signal during a checkpoint write removes the temporary file and keeps the old checkpoint",
        arguments: [SIGINT, SIGTERM, SIGHUP])
    func signalDuringWrite(signal: Int32) throws {
        let dir = try folder("signal-write-\(signal)")
        let model = try smallCheckpoint(in: dir, "model.safetensors")
        let before = try snapshot(dir)
        var caught = false
        for _ in 0..<5 where !caught {
            // A 2048-wide network: about 100 MB to write.
            let child = try ChildProcess.start(["train", "--iterations", "0", "--width", "2048", "--depth", "4", "--out", model])
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
                if names.contains(where: { $0.hasPrefix(".model.safetensors.tmp-") }) {
                    child.send(signal)
                    break
                }
                usleep(500)
            }
            let r = child.wait()
            if r.status == 0 { continue }  // finished before the signal: try again
            caught = true
            #expect(r.status == 128 + signal && !r.killedBySignal, "status \(r.status): \(r.stderr)")
            #expect(try snapshot(dir) == before)
        }
        #expect(caught, "the signal never landed during a write")
    }

    @Test("overwriting a checkpoint keeps its permission mode; a new one gets 0644 minus the umask")
    func modeIsKept() throws {
        let dir = try folder("mode")
        let model = try smallCheckpoint(in: dir)
        let mask = umask(0o022)
        umask(mask)
        func mode(_ path: String) -> mode_t {
            var info = stat()
            stat(path, &info)
            return info.st_mode & 0o777
        }
        #expect(mode(model) == 0o644 & ~mask)
        #expect(chmod(model, 0o600) == 0)
        #expect(try cli.run(["train", "--iterations", "30", "--width", "16", "--out", model]).status == 0)
        #expect(mode(model) == 0o600)
    }

    // MARK: Text from files

    @Test("a dataset name with control characters is refused by eval, sample and render, naming the checkpoint")
    func escapeSequenceInTheDatasetName() throws {
        let dir = try folder("escape-dataset")
        let file = dir + "/crafted.safetensors"
        try craftedCheckpoint(file, dataset: "\u{1b}]0;pwned\u{07}\u{1b}[2J\u{1b}[31m.csv")
        let before = try snapshot(dir)
        for command in [["eval", file], ["sample", file, "--out", dir + "/s.csv"], ["render", file], ["tui", "--load", file]] {
            let r = try ChildProcess.run(command)
            expectOneLineError(r, "\(file): not a flow-explorer checkpoint: bad dataset name '\\x1b]0;pwned\\x07\\x1b[2J")
            #expect(r.stdout.isEmpty)
        }
        #expect(try snapshot(dir) == before)
    }

    @Test("a CSV line with control characters is quoted escaped, and a 10 MB line is cut short")
    func escapeSequenceInACSVLine() throws {
        let dir = try folder("escape-csv")
        try Data("x,y\n1,2\n\u{1b}]0;title\u{07},\u{1b}[2J\n".utf8).write(to: URL(fileURLWithPath: dir + "/esc.csv"))
        try Data(("x,y\n1,2\n" + String(repeating: "\u{1b}[2J", count: 2_500_000) + ",1\n").utf8)
            .write(to: URL(fileURLWithPath: dir + "/long.csv"))
        let before = try snapshot(dir)
        let out = dir + "/o.safetensors"
        let esc = try ChildProcess.run(["train", "--dataset", dir + "/esc.csv", "--iterations", "1", "--out", out])
        expectOneLineError(esc, "esc.csv:3: '\\x1b]0;title\\x07,\\x1b[2J' is not a pair of numbers")
        let long = try ChildProcess.run(["train", "--dataset", dir + "/long.csv", "--iterations", "1", "--out", out])
        expectOneLineError(long, "long.csv:3: the line is longer than")
        #expect(long.stderr.utf8.count < 500, "\(long.stderr.utf8.count) bytes")
        #expect(try snapshot(dir) == before)
    }

    // MARK: Misleading or late errors

    @Test("a checkpoint trained on a CSV file can be evaluated from another folder")
    func csvPathIsStoredAbsolute() throws {
        let dir = try folder("csv-absolute")
        try FileManager.default.createDirectory(atPath: dir + "/data", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/elsewhere", withIntermediateDirectories: true)
        try Data(PointsCSV.text((0..<200).map { Float($0 % 17) * 0.1 - 0.8 }).utf8)
            .write(to: URL(fileURLWithPath: dir + "/data/pts.csv"))
        let train = try ChildProcess.run(
            [
                "train", "--dataset", "pts.csv", "--iterations", "20", "--width", "8",
                "--out", "model.safetensors",
            ], directory: dir + "/data")
        #expect(train.status == 0, "\(train.stderr)")
        let checkpoint = try Checkpoint.read(path: dir + "/data/model.safetensors")
        #expect(checkpoint.dataset == URL(fileURLWithPath: dir + "/data/pts.csv").standardizedFileURL.path)
        let eval = try ChildProcess.run(
            ["eval", "../data/model.safetensors", "--steps", "1", "--samples", "64"],
            directory: dir + "/elsewhere")
        #expect(eval.status == 0, "\(eval.stderr)")
        // Once the CSV is gone, the error names the checkpoint and the dataset.
        try FileManager.default.removeItem(atPath: dir + "/data/pts.csv")
        let gone = try ChildProcess.run(["eval", "../data/model.safetensors"], directory: dir + "/elsewhere")
        expectOneLineError(gone, "../data/model.safetensors: its dataset: ")
    }

    @Test("a negative learning rate is named as such, not as a missing value")
    func negativeLearningRate() throws {
        let dir = try folder("negative-lr")
        for command in [["train", "--lr", "-1", "--out", dir + "/x.safetensors"], ["tui", "--lr", "-1"]] {
            expectOneLineError(try ChildProcess.run(command), "--lr must be a positive number")
        }
        #expect(try snapshot(dir).isEmpty)
    }

    @Test("divergence on data at 1e20 blames the data's scale, not the learning rate")
    func divergenceAdvice() throws {
        let dir = try folder("huge-data")
        try Data("x,y\n1e20,2e20\n-3e20,1e20\n5e19,-1e20\n".utf8).write(to: URL(fileURLWithPath: dir + "/huge.csv"))
        let before = try snapshot(dir)
        let r = try ChildProcess.run([
            "train", "--dataset", dir + "/huge.csv", "--iterations", "50", "--width", "8",
            "--out", dir + "/o.safetensors",
        ])
        expectOneLineError(r, "training diverged at iteration 1")
        #expect(r.stderr.contains("scale them to about unit size") && !r.stderr.contains("--lr"), "\(r.stderr)")
        #expect(try snapshot(dir) == before)
    }

    @Test("a missing output folder and a bad teacher are reported before any work", .timeLimit(.minutes(2)))
    func lateErrorsComeFirst() throws {
        let dir = try folder("late-errors")
        _ = try smallCheckpoint(in: dir, method: "ct")
        let before = try snapshot(dir)
        // 100 million iterations would take hours: these end at once.
        let train = try ChildProcess.run(["train", "--iterations", "100000000", "--out", dir + "/missing/x.safetensors"])
        expectOneLineError(train, "the folder \(dir)/missing does not exist")
        let distil = try ChildProcess.run([
            "train", "--method", "cd", "--iterations", "100000000", "--teacher", dir + "/nope.safetensors",
            "--out", dir + "/cd.safetensors",
        ])
        expectOneLineError(distil, "\(dir)/nope.safetensors: cannot read the file")
        #expect(try snapshot(dir) == before)
    }

    @Test("weights of 3e38 are refused when the checkpoint is read, not evaluated to NaN")
    func hugeWeights() throws {
        let dir = try folder("huge-weights")
        try craftedCheckpoint(dir + "/big.safetensors", dataset: "moons", weight: 3e38)
        for command in [["eval", dir + "/big.safetensors"], ["sample", dir + "/big.safetensors", "--out", dir + "/s.csv"]] {
            expectOneLineError(try ChildProcess.run(command), "beyond the largest allowed magnitude")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/s.csv"))
    }

    @Test("an event log that is a folder gives a one-line error")
    func eventLogFolder() throws {
        let dir = try folder("event-log-folder")
        let r = try ChildProcess.run(["tui", "--event-log", dir])
        expectOneLineError(r, "\(dir): cannot open the event log (Is a directory)")
        #expect(try snapshot(dir).isEmpty)
    }

    @Test("--init with a checkpoint of another method is refused")
    func initOfAnotherMethod() throws {
        let dir = try folder("init-method")
        let model = try smallCheckpoint(in: dir)
        let before = try snapshot(dir)
        let r = try ChildProcess.run([
            "train", "--method", "ct", "--init", model, "--width", "16",
            "--out", dir + "/ct.safetensors",
        ])
        expectOneLineError(r, "the methods must match")
        #expect(try snapshot(dir) == before)
    }

    @Test(
        "a signal during training ends it with 128 + the signal, quietly, without a backtrace",
        arguments: [SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGXCPU, SIGPIPE])
    func signalDuringTraining(signal: Int32) throws {
        let dir = try folder("signal-train-\(signal)")
        let child = try ChildProcess.start([
            "train", "--iterations", "100000000", "--width", "8",
            "--out", dir + "/x.safetensors",
        ])
        usleep(300_000)
        child.send(signal)
        let r = child.wait()
        #expect(r.status == 128 + signal && !r.killedBySignal, "status \(r.status)")
        #expect(r.stderr.isEmpty, "\(r.stderr)")
        #expect(try snapshot(dir).isEmpty)
    }

    // MARK: Large inputs

    @Test("a 100 MB line, 10 million rows and a 1 GB checkpoint are refused with under 300 MB of memory")
    func largeInputs() throws {
        let dir = try folder("large-inputs")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let line = dir + "/line.csv"
        let rows = dir + "/rows.csv"
        let big = dir + "/big.safetensors"
        #expect(FileManager.default.createFile(atPath: line, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: line))
        try handle.write(contentsOf: Data("x,y\n".utf8))
        let block = Data(repeating: UInt8(ascii: "1"), count: 1 << 20)
        for _ in 0..<100 { try handle.write(contentsOf: block) }
        try handle.write(contentsOf: Data(",2\n".utf8))
        try handle.close()
        try Data(("x,y\n" + String(repeating: "1.5,2\n", count: 10_000_000)).utf8).write(to: URL(fileURLWithPath: rows))
        try Data(contentsOf: URL(fileURLWithPath: try smallCheckpoint(in: dir))).write(to: URL(fileURLWithPath: big))
        #expect(truncate(big, 1 << 30) == 0)  // sparse: cheap to make, 1 GB to read
        let out = dir + "/o.safetensors"
        let cases: [([String], String)] = [
            (["train", "--dataset", line, "--iterations", "1", "--out", out], "line.csv:2: the line is longer than"),
            (["train", "--dataset", rows, "--iterations", "1", "--out", out], "rows.csv:1000002: more than 1000000 points"),
            (["eval", big], "big.safetensors: not a flow-explorer checkpoint: the file has 1073741824 bytes"),
        ]
        for (command, fragment) in cases {
            #if os(Linux)
                let r = try ChildProcess.run(command, measureMemory: true)  // GNU time
                let peak = try #require(r.peakMemoryKB, "GNU time is needed at /usr/bin/time (scripts/install-deps --tests)")
                #expect(peak < 300_000, "\(command[1]): \(peak) KB")
            #else
                let r = try ChildProcess.run(command)
            #endif
            expectOneLineError(r, fragment)
        }
    }
}
