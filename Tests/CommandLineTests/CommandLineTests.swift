import Foundation
import TerminalCanvas
import Testing

/// Runs the built `flow-explorer` binary the way a user would, and checks exit codes and output.
@Suite struct CommandLineTests {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let binary: URL = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
        ]
        return candidates.map { $0.appendingPathComponent("flow-explorer") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
            ?? candidates[0].appendingPathComponent("flow-explorer")
    }()

    static let directory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fe-cli-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    func path(_ name: String) -> String { Self.directory.appendingPathComponent(name).path }

    @discardableResult
    func run(_ arguments: [String], program: URL = binary) throws -> Result {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// A small checkpoint, trained once per name.
    func trained(_ method: String, _ name: String, extra: [String] = []) throws -> String {
        let file = path(name)
        if !FileManager.default.fileExists(atPath: file) {
            let r = try run(
                [
                    "train", "--method", method, "--dataset", "moons", "--iterations", "200", "--width", "32",
                    "--seed", "3", "--out", file,
                ] + extra)
            #expect(r.status == 0, "\(r.stderr)")
        }
        return file
    }

    @Test func trainWritesACheckpointAndReportsJSON() throws {
        let file = path("fm-json.safetensors")
        let r = try run([
            "train", "--method", "fm", "--dataset", "moons", "--iterations", "100", "--width", "32", "--out", file, "--json",
        ])
        #expect(r.status == 0)
        let object = try json(r.stdout)
        for key in ["method", "dataset", "iterations", "seconds", "final_loss"] { #expect(object[key] != nil, "\(key)") }
        #expect(object["method"] as? String == "fm" && object["iterations"] as? Int == 100)
        #expect(r.stderr.isEmpty, "no progress bar when stderr is not a terminal")
        #expect(FileManager.default.fileExists(atPath: file))
    }

    @Test func shortcutTrainingReportsBothLossParts() throws {
        let r = try run([
            "train", "--method", "shortcut", "--iterations", "20", "--width", "32", "--out", path("sc-json.safetensors"),
            "--json",
        ])
        let object = try json(r.stdout)
        #expect(object["flow_matching_loss"] is Double && object["bootstrap_loss"] is Double)
    }

    @Test func evalGivesARowPerSamplerAndStepCount() throws {
        let r = try run(["eval", try trained("fm", "fm.safetensors"), "--steps", "1,4", "--samples", "256", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try json(r.stdout)
        #expect(object["method"] as? String == "fm" && object["dataset"] as? String == "moons")
        let floor = try #require(object["floor"] as? [String: Any])
        #expect(floor["sw2"] is Double && floor["energy"] is Double)
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(rows.map { "\($0["sampler"]!)\($0["steps"]!)" } == ["euler1", "euler4", "heun1", "heun4", "rk41", "rk44"])
        for row in rows { #expect(row["sw2"] is Double && row["energy"] is Double) }
    }

    /// `eval --json` rows carry each sampler's network evaluations at K steps: euler, shortcut,
    /// consistency and meanflow K, heun 2K, rk4 4K; the text table prints the same in its nfe column.
    @Test func evalRowsCarryTheNetworkEvaluationsOfEverySampler() throws {
        let perStep = ["euler": 1, "heun": 2, "rk4": 4, "shortcut": 1, "consistency": 1, "meanflow": 1]
        var seen: Set<String> = []
        for (method, name) in [
            ("fm", "fm.safetensors"), ("shortcut", "sc.safetensors"), ("ct", "ct.safetensors"), ("meanflow", "mf.safetensors"),
        ] {
            let file = try trained(method, name)
            let r = try run(["eval", file, "--steps", "1,3", "--samples", "256", "--json"])
            #expect(r.status == 0, "\(r.stderr)")
            let rows = try #require(try json(r.stdout)["rows"] as? [[String: Any]])
            for row in rows {
                let sampler = try #require(row["sampler"] as? String)
                let steps = try #require(row["steps"] as? Int)
                let perSampler = try #require(perStep[sampler])
                #expect(row["nfe"] as? Int == perSampler * steps, "\(method): \(row)")
                seen.insert(sampler)
            }
            let text = try run(["eval", file, "--steps", "3", "--samples", "256"]).stdout.split(separator: "\n")
            #expect(text[1].split(separator: " ") == ["sampler", "steps", "nfe", "SW2", "energy"], "\(text[1])")
            for line in text.dropFirst(2).dropLast() {
                let words = line.split(separator: " ").map(String.init)
                #expect(Int(words[2]) == perStep[words[0]].map { $0 * 3 }, "\(line)")
            }
        }
        #expect(seen == Set(perStep.keys))
    }

    @Test func shortcutAndConsistencyCheckpointsGetTheirOwnRows() throws {
        let shortcut = try json(
            try run(["eval", try trained("shortcut", "sc.safetensors"), "--steps", "1", "--samples", "256", "--json"]).stdout)
        #expect((shortcut["rows"] as? [[String: Any]])?.map { $0["sampler"] as! String } == ["shortcut", "euler"])
        let ct = try json(
            try run(["eval", try trained("ct", "ct.safetensors"), "--steps", "1,2", "--samples", "256", "--json"]).stdout)
        #expect((ct["rows"] as? [[String: Any]])?.map { $0["sampler"] as! String } == ["consistency", "consistency"])
    }

    @Test func evalWithTruthMeasuresEveryRowAgainstTheExactFlow() throws {
        let r = try run(["eval", try trained("fm", "fm.safetensors"), "--steps", "1,8", "--samples", "256", "--truth", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let truth = try #require(try json(r.stdout)["truth"] as? [String: Any])
        let rows = try #require(truth["rows"] as? [[String: Any]])
        #expect(rows.map { "\($0["sampler"]!) \($0["steps"]!)" } == ["euler 1", "euler 8", "heun 1", "heun 8", "rk4 1", "rk4 8"])
        #expect(rows.map { $0["nfe"] as? Int } == [1, 8, 2, 16, 4, 32], "the truth rows carry their NFE too")
        let jump = rows.map { $0["jump_error"] as! Double }
        #expect(jump[1] < jump[0], "eight Euler steps land nearer the exact ends than one")
        for key in ["velocity_error", "straightness", "exact_straightness", "self_consistency"] {
            let value = try #require(truth[key] as? Double, "\(key)")
            #expect(value.isFinite && value >= 0, "\(key)")
        }
        // A consistency model has no velocity: no velocity error and no straightness of its own.
        let ct = try json(
            try run(["eval", try trained("ct", "ct.safetensors"), "--steps", "1", "--samples", "256", "--truth", "--json"]).stdout
        )
        let ctTruth = try #require(ct["truth"] as? [String: Any])
        #expect(ctTruth["velocity_error"] is NSNull && ctTruth["straightness"] is NSNull)
        #expect((ctTruth["self_consistency"] as? Double)?.isFinite == true)
    }

    @Test func theConsistencyViewPrintsTheSelfConsistencyErrorEvalTruthPrints() throws {
        let model = try trained("ct", "ct.safetensors")
        let eval = try json(try run(["eval", model, "--steps", "1", "--samples", "256", "--truth", "--json"]).stdout)
        let error = try #require((eval["truth"] as? [String: Any])?["self_consistency"] as? Double)
        let frame = try run(["render", model, "--view", "consistency", "--width", "160", "--height", "30"]).stdout
        let rounded = (error * 1000).rounded() / 1000
        #expect(frame.contains("mean|f(x_t,t)-x_1| = \(Axes.format(rounded, decimals: 3))"), "eval says \(error)")
    }

    @Test func twoRunsWithTheSameSeedWriteIdenticalCheckpoints() throws {
        for name in ["same-a.safetensors", "same-b.safetensors"] {
            try run(["train", "--iterations", "50", "--width", "32", "--seed", "5", "--out", path(name)])
        }
        let a = try Data(contentsOf: URL(fileURLWithPath: path("same-a.safetensors")))
        let b = try Data(contentsOf: URL(fileURLWithPath: path("same-b.safetensors")))
        #expect(a == b && !a.isEmpty)
    }

    @Test func sampleWritesCSVAndNpy() throws {
        let model = try trained("fm", "fm.safetensors")
        #expect(try run(["sample", model, "--steps", "4", "--count", "10", "--out", path("p.csv")]).status == 0)
        let csv = try String(contentsOfFile: path("p.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("x,y\n") && csv.split(separator: "\n").count == 11)
        #expect(try run(["sample", model, "--steps", "4", "--count", "10", "--out", path("p.npy")]).status == 0)
        let npy = try Data(contentsOf: URL(fileURLWithPath: path("p.npy")))
        #expect(npy.count == 128 + 80)
    }

    @Test func badFilesEndWithOneLineAndExitCodeTwo() throws {
        let good = try Data(contentsOf: URL(fileURLWithPath: try trained("fm", "fm.safetensors")))
        let files: [(String, Data)] = [
            ("truncated.safetensors", good.prefix(good.count / 2)),
            ("corrupted.safetensors", Data([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]) + good.dropFirst(8)),
            ("points.csv", Data("x,y\n1,2\n".utf8)),
            ("empty.safetensors", Data()),
        ]
        for (name, data) in files {
            try data.write(to: URL(fileURLWithPath: path(name)))
            for command in [["eval", path(name)], ["sample", path(name), "--out", path("never.csv")]] {
                let r = try run(command)
                #expect(r.status == 2, "\(command)")
                #expect(r.stderr.hasPrefix("flow-explorer: ") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
            }
        }
        #expect(try run(["eval", path("does-not-exist.safetensors")]).status == 2)
        #expect(!FileManager.default.fileExists(atPath: path("never.csv")))
    }

    @Test(arguments: [
        ["train", "--method", "diffusion", "--out", "x"],
        ["train", "--iterations", "-5", "--out", "x"],
        ["train", "--dataset", "nosuchset", "--out", "x"],
        ["train", "--lr", "abc", "--out", "x"],
        ["train", "--method", "cd", "--iterations", "1", "--out", "x"],
        ["eval", "x.safetensors", "--steps", "0"],
        ["sample", "x.safetensors", "--out", "x.txt"],
        ["train"],
    ])
    func badOptionValuesEndWithOneLineAndExitCodeTwo(arguments: [String]) throws {
        let r = try run(arguments)
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("flow-explorer: ") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    }

    @Test(
        "--threads outside 1...64 is refused in one line by train, tui and bench",
        arguments: [
            ["train", "--threads", "0", "--out", "x"],
            ["train", "--threads", "65", "--out", "x"],
            ["tui", "--threads", "0"],
            ["bench", "--threads", "-1"],
        ])
    func threadCountsAreValidated(arguments: [String]) throws {
        let r = try run(arguments)
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("flow-explorer: ") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(r.stderr.contains("--threads must be between 1 and 64"), "\(r.stderr)")
    }

    @Test("bench reports a row per method and thread count: 1 and all cores by default, --threads N alone")
    func benchRowsNameTheirThreads() throws {
        let quick = ["bench", "--methods", "fm", "--seconds", "0.02", "--repeats", "1", "--json"]
        func threads(_ extra: [String]) throws -> [Int] {
            let r = try run(quick + extra)
            #expect(r.status == 0, "\(r.stderr)")
            let rows = try #require(try json(r.stdout)["rows"] as? [[String: Any]])
            #expect(rows.allSatisfy { $0["method"] as? String == "fm" && $0["steps_per_second"] is NSNumber })
            return rows.compactMap { $0["threads"] as? Int }
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        #expect(try threads([]) == (cores > 1 ? [1, min(cores, 64)] : [1]))
        #expect(try threads(["--threads", "3"]) == [min(3, cores)])  // clamped to the cores
    }

    @Test("train --threads 2 writes the same checkpoint twice, and records the thread count")
    func trainWithTwoThreadsIsDeterministic() throws {
        for name in ["threads-a.safetensors", "threads-b.safetensors"] {
            let r = try run(["train", "--iterations", "30", "--width", "32", "--threads", "2", "--out", path(name)])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let a = try Data(contentsOf: URL(fileURLWithPath: path("threads-a.safetensors")))
        let b = try Data(contentsOf: URL(fileURLWithPath: path("threads-b.safetensors")))
        #expect(a == b && !a.isEmpty)
        #expect(String(decoding: a.prefix(4096), as: UTF8.self).contains("\"threads\":\"2\""))
    }

    @Test func everySubcommandHasHelp() throws {
        for command in ["train", "eval", "sample", "datasets", "bench"] {
            let r = try run([command, "--help"])
            #expect(r.status == 0 && r.stdout.contains("USAGE"), "\(command)")
        }
    }

    @Test func datasetsListsEveryToyDataset() throws {
        let out = try run(["datasets"]).stdout
        for name in [
            "8gaussians", "moons", "checkerboard", "2spirals", "rings", "circles", "pinwheel", "swissroll", "line", "cos",
        ] {
            #expect(out.contains(name))
        }
    }
}
