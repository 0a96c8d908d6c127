import ExplorerApp
import FlowCore
import Foundation
import Testing

/// A checkpoint carries its whole training configuration, whoever wrote it, and sampling reads
/// back what it needs.
@Suite struct MethodMetadataTests {
    let cli = CommandLineTests()

    /// `train --help` prints every method's loss and sampler, the text of the UI's `i` panel.
    @Test func trainHelpGivesEveryMethodsLossAndSampler() throws {
        let help = try cli.run(["train", "--help"]).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for method in Method.allCases {
            let d = method.definition
            for line in d.lossFormula + [d.samplerFormula] {
                #expect(help.contains(line.split(whereSeparator: \.isWhitespace).joined(separator: " ")), "\(method): \(line)")
            }
        }
    }

    @Test("a shortcut model trained with --finest-steps 64 is queried as a velocity at d = 1/64")
    func finestStepsComeBackFromTheCheckpoint() throws {
        let file = cli.path("shortcut-m64.safetensors")
        let r = try cli.run([
            "train", "--method", "shortcut", "--dataset", "moons", "--iterations", "20", "--width", "16",
            "--finest-steps", "64", "--out", file,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let checkpoint = try Checkpoint.read(path: file)
        #expect(checkpoint.extra["finest_steps"] == "64")
        #expect(try TrainingConfig(checkpoint: checkpoint).finestSteps == 64)
        #expect(Model(checkpoint: checkpoint).velocityStep == 1.0 / 64)
        // The default is 1/128, so the two differ where it matters.
        #expect(Model(method: .shortcut, shape: checkpoint.shape, parameters: checkpoint.ema).velocityStep == 1.0 / 128)
    }

    /// The open-ended defaults come first and the options after them, so `--lr 0.003` (the
    /// shortcut model's planned rate, not its open-ended 5e-3) is the rate the run trains with.
    @Test func benchTimeToQualityTrainsWithTheOptionsGivenOverTheOpenEndedDefaults() throws {
        let r = try cli.run([
            "bench", "--time-to-quality", "--methods", "shortcut", "--dataset", "line", "--iteration-budget", "1000",
            "--threads", "1", "--width", "16", "--lr", "0.003", "--json",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let row = try #require((object["rows"] as? [[String: Any]])?.first)
        let settings = try #require(row["settings"] as? [String: String])
        var openEnded = TrainingConfig(method: .shortcut)
        openEnded.makeOpenEnded()
        #expect(settings["learning_rate"] == "0.003")
        #expect(settings["learning_rate_falloff"] == openEnded.learningRateFalloff.map(String.init))
        #expect(settings["target_weights"] == "online" && settings["bootstrap_fraction"] == "0.6")
        #expect(settings["ema_warmup"] == "true" && settings["learning_rate_decay"] == "false")
        // The curve: the untrained model, then one evaluation every 100 iterations.
        let curve = try #require(row["curve"] as? [[Double]])
        #expect(
            curve.first?.first == 0 && curve.dropFirst().first?.first == 100 && curve.allSatisfy { $0.count == 2 && $0[1] > 0 })
    }

    @Test func adamsBetasReachTheOptimiserAndTheCheckpointAndABetaOfOneIsRefused() throws {
        func train(_ name: String, _ extra: [String]) throws -> Checkpoint {
            let file = cli.path(name)
            let r = try cli.run(
                ["train", "--method", "fm", "--dataset", "moons", "--iterations", "30", "--width", "16", "--out", file]
                    + extra)
            #expect(r.status == 0, "\(r.stderr)")
            return try Checkpoint.read(path: file)
        }
        let plain = try train("betas-default.safetensors", [])
        let changed = try train("betas-changed.safetensors", ["--adam-beta1", "0.8", "--adam-beta2", "0.95"])
        #expect(plain.extra["adam_beta1"] == "0.9" && plain.extra["adam_beta2"] == "0.999")
        #expect(changed.extra["adam_beta1"] == "0.8" && changed.extra["adam_beta2"] == "0.95")
        let config = try TrainingConfig(checkpoint: changed)
        #expect(config.adamBeta1 == 0.8 && config.adamBeta2 == 0.95)
        // Same seed, same batches: only the optimiser's betas differ, and so do the weights.
        #expect(plain.ema != changed.ema)
        let bad = try cli.run(["train", "--method", "fm", "--iterations", "1", "--adam-beta2", "1", "--out", cli.path("b.st")])
        #expect(bad.status != 0 && bad.stderr.contains("Adam's betas must be in [0, 1)"))
        #expect(bad.stderr.split(separator: "\n").count == 1, "\(bad.stderr)")
        // The help gives both defaults: a planned run's and the open-ended one's.
        var openEnded = TrainingConfig(method: .fm)
        openEnded.makeOpenEnded()
        let help = try cli.run(["train", "--help"]).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("(default 0.999); \(openEnded.adamBeta2) in a run without a planned end"), "\(help)")
    }

    @Test("the UI's s and train write the same settings for the same run", arguments: [Method.shortcut, .meanflow, .ct])
    func theUIAndTrainWriteTheSameMetadata(method: Method) throws {
        let fromUI = cli.path("ui-\(method.rawValue).safetensors")
        let fromTrain = cli.path("train-\(method.rawValue).safetensors")
        var settings = WorkerSettings()
        settings.pictureCount = 128
        let session = TrainingSession(settings: settings)
        let request = WorkerRequest(AppState(size: .init(width: 120, height: 40), method: method, dataset: "moons", seed: 5))
        for turn in 0..<20 { session.advance(request: request, now: Double(turn) / 100) }
        #expect(session.perform(.save(path: fromUI), now: 1)?.message == "saved \(fromUI)")
        // The UI's run has no planned end (TrainingConfig.makeOpenEnded); train is told the same.
        var openEnded = TrainingConfig(method: method)
        openEnded.makeOpenEnded()
        let curriculum = openEnded.curriculumIterations.map { ["--curriculum-iterations", String($0)] } ?? []
        let falloff = openEnded.learningRateFalloff.map { ["--lr-falloff", String($0)] } ?? []
        let start = method == .ct ? ["--curriculum-start", String(openEnded.curriculumStart)] : []
        let velocity = method == .ct ? [] : ["--velocity-target", openEnded.velocityTarget.rawValue]
        let shortcut =
            method == .shortcut
            ? [
                "--target", openEnded.effectiveTargetWeights.rawValue, "--bootstrap-fraction",
                String(openEnded.bootstrapFraction),
            ]
            : []
        let r = try cli.run(
            [
                "train", "--method", method.rawValue, "--dataset", "moons", "--seed", "5", "--iterations", "20",
                "--lr", String(openEnded.learningRate), "--lr-decay", String(openEnded.learningRateDecay),
                "--ema-warmup", String(openEnded.emaWarmup), "--ema-decay", String(openEnded.emaDecay),
                "--adam-beta2", String(openEnded.adamBeta2),
                "--warmup", String(openEnded.warmupIterations), "--out", fromTrain,
            ] + curriculum + start + falloff + velocity + shortcut)
        #expect(r.status == 0, "\(r.stderr)")
        let ui = try Checkpoint.read(path: fromUI)
        let train = try Checkpoint.read(path: fromTrain)
        #expect(ui.method == train.method && ui.seed == train.seed && ui.shape == train.shape)
        // train adds its results and sources; the UI runs without a planned length (its default).
        var trainSettings = train.extra
        for key in ["final_loss", "teacher"] { trainSettings[key] = nil }
        let uiSettings = ui.extra
        #expect(Set(uiSettings.keys) == Set(trainSettings.keys))
        for (key, value) in uiSettings where key != "planned_iterations" {
            #expect(trainSettings[key] == value, "\(key)")
        }
        #expect(uiSettings["planned_iterations"] == String(TrainingConfig(method: method).iterations))
    }
}
