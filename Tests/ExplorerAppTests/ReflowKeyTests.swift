import FlowCore
import Foundation
import TerminalCanvas
import Testing

@testable import ExplorerApp

/// The `f` key: reflow (Liu, Gong, Liu 2022) of the UI's flow-matching model.
@Suite struct ReflowKeyTests {
    @Test func fAsksTheWorkerToReflowAFlowMatchingModel() {
        var state = stateWithPictures(method: .fm)
        #expect(press(&state, "f") == [.worker(.reflow)])
        #expect(state.notice?.contains("reflow") == true)
        #expect(state.snapshot != nil, "the pictures stay until the new round's")
    }

    @Test func fWithAnotherMethodOrInTheRaceSaysWhyNotAndAsksNothing() {
        var shortcut = stateWithPictures(method: .shortcut)
        #expect(press(&shortcut, "f").isEmpty)
        #expect(shortcut.notice?.contains("fm") == true)
        var race = stateWithPictures(method: .fm)
        race.view = .race
        #expect(press(&race, "f").isEmpty)
    }

    @Test func theStatusBarShowsTheReflowRoundInPlaceOfTheCouplingBesideS() {
        var state = stateWithPictures(method: .fm)
        state.snapshot?.visuals?.iteration = 2000
        #expect(statusText(state).contains("independent pairs"))
        state.snapshot?.reflowStarts = [600, 900]
        let line = statusText(state)
        #expect(line.contains("reflow 2") && line.contains("S=") && !line.contains("independent pairs"), "\(line)")
        #expect(helpLines.contains { $0.hasPrefix("f ") && $0.contains("reflow") })
    }

    @Test func theSessionReflowsTheCurrentModelAndTrainsOnFromItsIteration() throws {
        var driver = SessionDriver(AppState(size: big, method: .fm, dataset: "moons", seed: 3), pictureCount: 256)
        driver.advance(300)
        #expect(driver.session.snapshot.reflowRound == 0)
        let after = try #require(driver.session.perform(.reflow, now: driver.now))
        #expect(after.reflowRound == 1 && after.reflowStarts == [300] && after.iteration == 300, "the count goes on")
        #expect(after.message?.contains("reflow 1") == true)
        driver.advance(60)
        #expect(driver.iteration == 360 && driver.session.snapshot.reflowRound == 1)
        #expect(driver.state.snapshot?.divergence == nil && driver.state.snapshot?.visuals != nil)
    }
}

@Suite struct ReflowRecipeTests {
    @Test func afterTwoReflowsTheRecipeTrainsTheModelThenEachRoundFromTheOneBefore() {
        var state = stateWithPictures(method: .fm)
        state.snapshot?.reflowStarts = [600, 1000]
        let train = RunRecipe(state).train
        #expect(train.count == 3, "\(train)")
        #expect(
            train[0].contains("--iterations 600 ") && train[0].hasSuffix("--out flow-explorer-fm-8gaussians-round0.safetensors"))
        #expect(train[1].contains("--reflow flow-explorer-fm-8gaussians-round0.safetensors --seed 0 --iterations 400 "))
        #expect(train[1].hasSuffix("--reflow-pairs 8192 --out flow-explorer-fm-8gaussians-round1.safetensors"), "\(train[1])")
        // The last round runs to the snapshot's iteration and writes the file `s` saves.
        #expect(train[2].contains("--reflow flow-explorer-fm-8gaussians-round1.safetensors --seed 0 --iterations 234 "))
        #expect(train[2].hasSuffix("--out \(state.checkpointFileName)"))
        #expect(RunRecipe(state).render.contains(state.checkpointFileName))
    }

    @Test func theRecipesRoundsRebuildTheWeightsTheWorkerSavesAfterAReflow() throws {
        var driver = SessionDriver(AppState(size: big, method: .fm, dataset: "moons", seed: 4), pictureCount: 256)
        driver.advance(201)
        driver.session.perform(.reflow, now: driver.now)
        driver.advance(150)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fe-reflow-\(getpid()).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        let saved = try #require(driver.session.perform(.save(path: file), now: driver.now))
        #expect(saved.message == "saved \(file)" && saved.reflowRound == 1)
        let start = try #require(saved.reflowStarts.first)
        let checkpoint = try Checkpoint.read(path: file)
        #expect(checkpoint.reflowRound == 1)
        // What the recipe's two train lines do: the open-ended fm run up to the reflow, then
        // `--reflow` from its checkpoint with the UI's pool, for the rest of the iterations.
        let config = TrainingConfig.openEnded(.fm, seed: 4, learningRate: nil, threads: 1)
        let base = try Trainer(config: config, dataset: .toy(.moons))
        for _ in 0..<start { base.step() }
        var next = config
        next.reflowPairs = TrainingWorker.reflowPairs
        try next.reflow(from: base.checkpoint())
        let round = try Trainer(config: next, dataset: .toy(.moons), reflowSource: base.checkpoint())
        for _ in 0..<(checkpoint.iterations - start) { round.step() }
        #expect(round.ema == checkpoint.ema, "the same weights after \(checkpoint.iterations) iterations")
    }
}
